"""How common a name token is in the world's population, as fixed reference data.

A token's weight in a name score comes from here, never from the list being screened: a listed
person's score against a traveller then depends on the two names alone, and does not move when
someone else is added to the list (issue 17). The tiers follow the published rankings of the
commonest given names and surnames by country (national statistics offices' name rankings as
collected in Wikipedia's "List of most common surnames" in Africa, Asia, Europe, the Americas and
"List of most popular given names"), grouped into three bands by how many people bear a name:

- VERY_COMMON: names borne by a large share of a population of tens of millions or more (the
  first names in their country's ranking: MOHAMMED, WANG, KIM, NGUYEN, GARCIA, MARIA);
- COMMON: the rest of the top ten or so of a large country's ranking;
- FREQUENT: further down the top fifty of a ranking, or a top name of a smaller population.

Spellings are normalised (A-Z, ICAO transliteration); a token is looked up as spelled, folded and
through its variant group, so MOHAMAD weighs what MOHAMMED weighs.
"""

from __future__ import annotations

from watchlists.equivalents import arabic_key, given_name_groups
from watchlists.normalize import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


VERY_COMMON: frozenset[str] = _words(
    """
    MOHAMMED AHMED ALI ABDUL ABDULLAH HASSAN HUSSEIN IBRAHIM MAHMOUD OMAR KHAN
    WANG LI ZHANG LIU CHEN YANG HUANG ZHAO WU ZHOU KIM LEE PARK CHOI JUNG NGUYEN TRAN LE PHAM
    SINGH KUMAR DEVI SHARMA GARCIA RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ GONZALEZ PEREZ SANCHEZ
    SILVA SANTOS OLIVEIRA SOUZA MARIA JOSE JUAN ANA LUIS CARLOS JOHN SMITH JAMES MARY
    IVANOV IVANOVA ALEKSANDR SERGEI ANDREI VLADIMIR ELENA OLGA TATIANA
    """
)

COMMON: frozenset[str] = _words(
    """
    YUSUF MUSTAFA SAID SALEH RAHMAN HAMID KHALID ISMAIL HAMZA YOUSSEF MUSA ISA SULEIMAN
    ABU BAKR OSMAN OTHMAN HAJI NOOR NUR RAHIM KARIM AMIN AZIZ JAMAL NASSER ADAM
    REZA HOSSEINI MOHAMMADI AHMADI RAHIMI KARIMI JAFARI GHOLAM GHULAM
    SAYED SAYYID SHAH GUL WALI ZADA
    HUSSAIN MOHAMED ABDI FARAH WARSAME JAMA ADEN HIRSI OMAR
    XU SUN MA ZHU HU GUO HE LIN GAO LUO ZHENG LIANG XIE TANG HAN FENG DENG CAO WEI
    JIANG PENG LU SU PAN DU DING YUAN JIANG WEI JUN MIN HUI YING JING LEI HONG
    KANG CHO YOON JANG LIM HAN OH SEO SHIN KWON HWANG AHN SONG HONG YOO JEON KO MOON
    HOANG PHAN VU VO DANG BUI DO HO NGO DUONG LY
    TANAKA SUZUKI SATO TAKAHASHI WATANABE ITO YAMAMOTO NAKAMURA KOBAYASHI
    GOMEZ DIAZ TORRES RAMIREZ FLORES RIVERA GUTIERREZ MORALES ORTIZ CRUZ REYES RAMOS
    ROMERO ALVAREZ MENDOZA RUIZ JIMENEZ MORENO MUNOZ ROJAS VARGAS CASTRO CASTILLO
    PEREIRA COSTA FERREIRA RODRIGUES ALVES LIMA GOMES RIBEIRO CARVALHO MARTINS
    ANTONIO MANUEL FRANCISCO JESUS PEDRO MIGUEL JORGE LUIZ PAULO RAFAEL DAVID DANIEL
    ROSA CARMEN ISABEL LAURA PATRICIA GUADALUPE FERNANDO ALEJANDRO JAVIER
    MOHAMMAD MUHAMMAD HAMAD
    PETROV SMIRNOV KUZNETSOV POPOV SOKOLOV IVAN DMITRI ALEKSEI NIKOLAI MIKHAIL
    YURI VIKTOR IGOR OLEG NATALIA IRINA SVETLANA ANNA EKATERINA
    JOHNSON WILLIAMS BROWN JONES MILLER DAVIS WILSON ROBERT MICHAEL WILLIAM
    RICHARD THOMAS JOSEPH CHARLES MARTIN ELIZABETH
    MULLER SCHMIDT SCHNEIDER FISCHER WEBER MEYER PETER HANS
    ROSSI RUSSO FERRARI ESPOSITO BIANCHI GIUSEPPE MARCO
    DUBOIS BERNARD MARTIN PIERRE JEAN
    YILMAZ KAYA DEMIR SAHIN CELIK MEHMET MUSTAFA FATMA AYSE
    PATEL SHAH GUPTA KHATUN BEGUM AKTER HOSSAIN ISLAM
    ADEBAYO OKAFOR MWANGI OTIENO KAMAU BANDA PHIRI MOYO DLAMINI
    NOVAK HORVAT KOVACEVIC NOWAK KOWALSKI WISNIEWSKI
    """
)

FREQUENT: frozenset[str] = _words(
    """
    ABBAS ADNAN AMIR ANWAR ASAD ASHRAF AYMAN BASHIR BILAL FAISAL FAWAZ FUAD HABIB HADI
    HAFIZ HAMDI HANI HASAN HUSAM JAFAR JAMIL KHALIL MAJID MANSOUR MOHSEN MUNIR NABIL
    NASIR QASIM RASHID SALIM SALMAN SAMI SAMIR TAREK WALID YAHYA YASIN YUNUS ZAKARIA
    ZIAD ADIL AWAD TURKI SULTAN FAROUK ISSA NAJIB RAMI ADEL EMAD IMAD KAMAL
    FATIMA AISHA KHADIJA ZAINAB MARYAM AMINA
    MIR JAN ULLAH ZAI KHEL MOHAMMADZAI YOUSAFZAI AFRIDI
    REZAEI MOUSAVI SADEGHI KAZEMI GHASEMI HASHEMI HEIDARI MORADI
    WARSAMA MOHAMUD HUSSEN NUUR DIRIE
    WU XIAO CHENG YE YAN YU QIN LU JIA XIA TIAN REN FAN FANG SHI YAO TAN LIAO ZOU
    XIONG JIN HAO KONG BAI CUI KANG MAO QIU QIN GU HOU SHAO MENG LONG WAN DUAN
    CHUN CHOL HYUN YOUNG SUNG SEUNG JI EUN HO IL NAM SU PAK RI RYU NAM JO BAEK HEO YU
    MEJIA AGUILAR HERRERA MEDINA CHAVEZ SALAZAR GUZMAN VASQUEZ VELASQUEZ CONTRERAS
    SOTO NUNEZ DOMINGUEZ MARQUEZ ACOSTA VEGA SILVA ESTRADA CARDENAS ORTEGA DELGADO
    VALENCIA OSORIO RIOS SUAREZ CABRERA CAMPOS MOLINA ARIAS PARRA
    ALBERTO ARTURO ENRIQUE EDUARDO RAMON RICARDO ROBERTO SERGIO OSCAR MARIO ANGEL
    HECTOR RAUL VICTOR ANDRES DIEGO PABLO JULIO CESAR RUBEN GABRIEL
    ALEJANDRA ANDREA CLAUDIA LUCIA SOFIA VERONICA MONICA ADRIANA
    NIKOLAEV ORLOV VOLKOV LEBEDEV KOZLOV NOVIKOV MOROZOV PAVLOV FEDOROV MIKHAILOV
    PAVEL ANATOLI YEVGENI EVGENI KONSTANTIN ROMAN MAKSIM DENIS ARTEM VALERI GENNADI
    BORIS GRIGORI STANISLAV VIKTOROVICH ALEKSANDROVICH VLADIMIROVICH SERGEEVICH
    IVANOVICH NIKOLAEVICH PETROVICH MIKHAILOVICH ANATOLIEVICH YURIEVICH
    PETROVIC JOVANOVIC NIKOLIC MARKOVIC DJORDJEVIC STOJANOVIC ILIC STANKOVIC PAVLOVIC
    HODZIC HADZIC DELIC KOVAC BABIC MILAN GORAN ZORAN DRAGAN DEJAN NENAD BOJAN MARKO
    MIROSLAV SLOBODAN ZELJKO
    TAYLOR ANDERSON THOMPSON WHITE HARRIS CLARK LEWIS ROBINSON WALKER YOUNG KING
    GEORGE EDWARD HENRY PAUL MARK STEVEN KEVIN BRIAN
    """
)


def _tiers() -> dict[str, int]:
    tiers: dict[str, int] = {}
    for tier, names in ((3, VERY_COMMON), (2, COMMON), (1, FREQUENT)):
        for name in names:
            for spelling in (name, fold(name)):
                tiers[spelling] = max(tiers.get(spelling, 0), tier)
    return tiers


_TIERS = _tiers()


def _tiers_by_key() -> dict[str, int]:
    by_key: dict[str, int] = {}
    for spelling, tier in _TIERS.items():
        key = arabic_key(spelling)
        if key is not None:
            by_key[key] = max(by_key.get(key, 0), tier)
    return by_key


_TIERS_BY_KEY = _tiers_by_key()


def commonness(token: str, group: str | None = None) -> int:
    """Return 3, 2, 1 for a very common, common or frequent name token, 0 for any other.

    `group` is the token's variant group, if it has one: a spelling weighs what its group's
    commonest spelling weighs.
    """
    found = _TIERS.get(token) or _TIERS.get(fold(token)) or 0
    if group is not None:
        found = max(found, _TIERS.get(group, 0))
    key = arabic_key(token)
    if key is not None:
        # Another romanisation of a common Arabic name (TARIQ for TAREK) is as common.
        found = max(found, _TIERS_BY_KEY.get(key, 0))
    return found


def is_known_name(token: str, group: str | None = None) -> bool:
    """Tell whether a token is a name people bear: in the reference tiers, a variant group or
    the hypocorism table."""
    return group is not None or commonness(token) > 0 or bool(given_name_groups(token))
