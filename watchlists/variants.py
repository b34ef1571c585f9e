"""Name variant data: spelling groups, particles, glued prefixes and titles, all as plain data."""

from __future__ import annotations

# Each group lists spellings of one name that lists and passports use interchangeably; the first
# spelling names the group. Spellings are in normalised form (A-Z, ICAO-transliterated).
VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("MOHAMMED", "MOHAMMAD", "MOHAMED", "MOHAMAD", "MUHAMMAD", "MUHAMMED", "MUHAMAD", "MUHAMED",
     "MOHAMMAD", "MOHAMMET", "MAHOMED", "MOHAMET", "MEHMET", "MEHMED", "MOHD", "MOHAMMEDI",
     "MUHAMMET", "MOUHAMED", "MOUHAMMAD", "MOHAMEED", "MOHHAMED"),
    ("AHMED", "AHMAD", "AHMET", "AHMEDE", "AHMAED", "AHMADI"),
    ("MAHMOUD", "MAHMUD", "MAHMOOD", "MAHMUT", "MEHMOOD"),
    ("YUSUF", "YOUSEF", "YOUSSEF", "YUSEF", "YOUSIF", "YUSIF", "YOUSUF", "YOSEF", "YUSUPH",
     "YUSSUF", "JUSUF", "YOUSOF"),
    ("YUNUS", "YOUNIS", "YOUNES", "YUNIS", "YOUNESS", "YOUNOUS"),
    ("HUSSEIN", "HUSAYN", "HUSSAIN", "HOSSEIN", "HUSEIN", "HUSAIN", "HOSEIN", "HUSSAYN", "HUSEYIN",
     "HOUSSEIN", "HUSSEN"),
    ("HASSAN", "HASAN", "HASSANE", "HASSEN", "HACEN"),
    ("HUSNI", "HOSNI", "HUSNY"),
    ("MUSTAFA", "MOSTAFA", "MUSTAPHA", "MOUSTAFA", "MUSTAFAH", "MOSTAPHA"),
    ("OSAMA", "USAMA", "USAMAH", "OSSAMA", "OUSSAMA"),
    ("OMAR", "UMAR", "OMER", "OMAAR"),
    ("OTHMAN", "UTHMAN", "OSMAN", "OTHMANE", "OUSMANE", "USMAN", "OSMANE"),
    ("KHALID", "KHALED", "HALID", "KHALEED"),
    ("SAID", "SAEED", "SAYED", "SAIED", "SAEID", "SAIID", "SAYEED"),
    ("SAYYID", "SAYYED", "SAYID", "SEYYED", "SEYED", "SAIYID"),
    ("IBRAHIM", "EBRAHIM", "IBRAGIM", "IBRAHEEM", "IBRAHIMA", "IBRAHEM"),
    ("ISMAIL", "ISMAEL", "ESMAIL", "ISMAAIL", "ISMAIEL"),
    ("ABDULLAH", "ABDALLAH", "ABDULLA", "ABDULAH", "ABDELLAH", "ABDALLA", "ABDOULLAH"),
    ("ABDUL", "ABDEL", "ABDOUL", "ABDOL", "ABDILL", "ABDI", "ABD"),
    ("ABDULRAHMAN", "ABDELRAHMAN", "ABDURRAHMAN", "ABDERRAHMANE", "ABDURAHMAN", "ABDALRAHMAN",
     "ABDOULRAHMAN", "ABDERRAHMAN"),
    ("SULEIMAN", "SULAYMAN", "SOLIMAN", "SULAIMAN", "SULEYMAN", "SOLEIMAN", "SOULEIMANE", "SLIMAN",
     "SULIMAN", "SOLEYMAN"),
    ("YAHYA", "YAHIA", "YAHIYA", "JAHJA"),
    ("JAMAL", "GAMAL", "DJAMAL", "JAMEL", "DJAMEL"),
    ("HAMID", "HAMEED", "HAMEID"),
    ("RASHID", "RASHEED", "RACHID", "RASHEID", "RASCHID"),
    ("MAJID", "MAJEED", "MAGID", "MADJID"),
    ("WALID", "WALEED", "OUALID"),
    ("SALEH", "SALIH", "SALAH", "SALEEH"),
    ("FAISAL", "FAYSAL", "FEISAL", "FAYCAL"),
    ("HAJI", "HAJJI", "HADJI", "HAJJ", "ALHAJI", "ALHAJJI"),
    ("ABUBAKAR", "ABUBAKR", "ABOUBAKAR", "ABUBAKER", "ABOUBACAR", "ABUBAKARR"),
    ("ALI", "ALY", "ALIY"),
    ("HAMZA", "HAMZAH", "HAMSA"),
    ("ZAKARIA", "ZAKARIYA", "ZAKARIYYA", "ZAKARIAH", "ZAKARIYA"),
    ("ZAYD", "ZAID", "ZEID", "ZAYED"),
    ("QASIM", "KASIM", "QASEM", "KASSEM", "QASSIM", "KACEM", "GASIM"),
    ("QADIR", "KADIR", "QADER", "KADER", "QADEER"),
    ("QURESHI", "QURAISHI", "KURESHI", "QURAYSHI"),
    ("JAFAR", "JAAFAR", "JAFFAR", "DJAFAR", "JAFER"),
    ("MUSA", "MOUSSA", "MOUSA", "MUSSA"),
    ("ISA", "ISSA", "EISA", "EESA"),
    ("NASSER", "NASIR", "NASER", "NACER", "NASSIR"),
    ("NASRALLAH", "NASRULLAH", "NASRALLA"),
    ("ALEKSANDR", "ALEXANDER", "ALEKSANDER", "OLEKSANDR", "ALEXANDRE", "ALEXANDR"),
    ("ALEKSEI", "ALEXEI", "ALEKSEY", "ALEXEY", "OLEKSIY", "OLEKSII", "ALEKSEJ"),
    ("SERGEI", "SERGEY", "SERHIY", "SERHII", "SERGEJ", "SERGIY"),
    ("YURI", "YURIY", "IURII", "YURIJ", "YURY", "IOURI", "JURIJ"),
    ("DMITRI", "DMITRY", "DMITRIY", "DMYTRO", "DMITRII", "DIMITRI"),
    ("ANDREI", "ANDREY", "ANDRIY", "ANDRII", "ANDREJ"),
    ("MIKHAIL", "MICHAIL", "MYKHAILO", "MIKHAYLO", "MIHAIL"),
    ("NIKOLAI", "NIKOLAY", "MYKOLA", "NICOLAI", "NIKOLAJ"),
    ("EVGENY", "YEVGENY", "EVGENIY", "YEVGENIY", "EVGENII", "YEVHEN", "EVGENI", "IEVGEN"),
    ("VLADIMIR", "VOLODYMYR", "WLADIMIR"),
    ("GEORGY", "GEORGIY", "GEORGI", "HEORHIY", "GIORGI"),
    ("PYOTR", "PETR", "PETRO", "PIOTR"),
    ("VIKTOR", "VICTOR", "WIKTOR"),
    ("YEVGENIYA", "EVGENIYA", "EVGENIA", "YEVHENIIA"),
    ("TATYANA", "TATIANA", "TETIANA", "TATJANA"),
    ("NATALYA", "NATALIA", "NATALIIA", "NATALIJA"),
    ("OLGA", "OLHA"),
    ("ELENA", "YELENA", "OLENA", "JELENA"),
    ("KONSTANTIN", "CONSTANTIN", "KOSTIANTYN", "KOSTYANTYN"),
    ("MAKSIM", "MAXIM", "MAKSYM", "MAKSIMILIAN"),
    ("ILYA", "ILIA", "ILLIA", "ILJA"),
    ("GRIGORY", "GRIGORIY", "HRYHORIY", "GRIGORI"),
    ("JOSEF", "JOZEF", "JOSIF", "IOSIF"),
    ("JOHANN", "JOHAN", "JOHANNES"),
    ("MUAMMAR", "MOAMMAR", "MUAMAR", "MOAMAR"),
    ("QADHAFI", "GADDAFI", "QADDAFI", "KADHAFI", "GADAFI", "KADAFI", "GHADDAFI", "QATHAFI"),
    ("CHUNG", "JUNG", "JEONG"),
    ("KIM", "GIM"),
    ("LI", "LEE", "YI", "RHEE"),
    ("PAK", "PARK", "BAK"),
    ("CHOE", "CHOI", "CHOY"),
    ("ZHANG", "CHANG"),
    ("WANG", "WONG"),
    ("NGUYEN", "NGUYIN", "NGUEN"),
)

# Words that join or qualify a name: they weigh little, and a name may carry or drop them.
PARTICLES: frozenset[str] = frozenset({
    "AL", "EL", "UL", "AS", "ASH", "AD", "AR", "AZ", "AN", "AT",
    "BIN", "BEN", "IBN", "BINT", "BINTI", "BT", "BTE", "BINTE", "OULD", "ULD", "WALAD",
    "ABU", "ABOU", "UMM", "OUM", "AB",
    "VAN", "VON", "DER", "DEN", "TER", "TEN", "VANDER", "VANDEN",
    "DE", "DEL", "DELA", "DELLA", "DEGLI", "DI", "DA", "DAS", "DO", "DOS", "DU", "DES",
    "LA", "LE", "LO", "LOS", "LAS", "Y", "E", "I",
    "MAC", "MC", "O", "ST", "SAINT",
    "HAJI", "HAJJI",
})

# Prefixes that are often written glued to the next word (AL ZAWAHIRI, ALZAWAHIRI, AL-ZAWAHIRI).
GLUED_PREFIXES: tuple[str, ...] = (
    "ABDUL", "ABDEL", "ABDOUL", "ABDAL", "ABDUR", "ABDER", "ABD",
    "VANDER", "VANDEN", "VAN", "VON", "DELA", "DEL", "DE", "DI", "DA", "DU", "LA", "LE",
    "ABU", "ABOU", "BIN", "IBN", "BEN", "AL", "EL", "UL", "AS", "ASH", "AD", "AR", "AZ",
    "MAC", "MC",
)

# Honorifics and titles that are not part of a name and are dropped before comparison.
TITLES: frozenset[str] = frozenset({
    "DR", "MR", "MRS", "MS", "MISS", "PROF", "SIR", "DOCTOR", "SHEIKH", "SHAYKH", "SHAIKH",
    "MAULANA", "MAULAVI", "MAWLAWI", "MULLAH", "MULLA", "MAULVI", "MOULAVI", "QARI",
    "GENERAL", "GEN", "COLONEL", "COL", "CAPTAIN", "CAPT", "MAJOR", "LT", "SGT", "IMAM",
})


def variant_canon() -> dict[str, str]:
    """Return a map from every spelling in VARIANT_GROUPS to its group's first spelling."""
    canon: dict[str, str] = {}
    for group in VARIANT_GROUPS:
        for spelling in group:
            canon.setdefault(spelling, group[0])
    return canon
