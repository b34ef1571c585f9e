"""Chinese names in Hanyu Pinyin without tones, split as passports write them.

PRC passports write the surname, then the given name's syllables joined (王伟 → WANG WEI, 习近平 →
XI JINPING), with ü as YU (LYU) since the Ministry of Public Security's 2012 rule. A name written
as one word is split after its surname: two characters if they form a compound surname from the
table below, one otherwise. A surname is read by its surname reading (单 SHAN, 曾 ZENG, 解 XIE),
the given name by pypinyin's phrase dictionary. Traditional characters read as simplified ones.

Alternatives, in order: the given name's syllables apart (XI JIN PING); ü as U, as most lists
write it (LU BU); and, for a name that may be Japanese (two words of at most three characters,
as Japanese write surname and given name, or a name with 々), the Japanese reading by pykakasi.
Chinese names are written without a space, so a space is the best sign a script gives; a
Japanese name in kanji without one reads as Chinese.
"""

from __future__ import annotations

from collections.abc import Sequence

from watchlists.romanizers import kana

# Compound surnames (複姓), simplified and traditional, with their readings.
COMPOUND_SURNAMES: dict[str, str] = {
    "欧阳": "OUYANG", "歐陽": "OUYANG", "司马": "SIMA", "司馬": "SIMA", "诸葛": "ZHUGE",
    "諸葛": "ZHUGE", "上官": "SHANGGUAN", "司徒": "SITU", "东方": "DONGFANG", "東方": "DONGFANG",
    "慕容": "MURONG", "夏侯": "XIAHOU", "皇甫": "HUANGFU", "尉迟": "YUCHI", "尉遲": "YUCHI",
    "公孙": "GONGSUN", "公孫": "GONGSUN", "令狐": "LINGHU", "宇文": "YUWEN", "长孙": "ZHANGSUN",
    "長孫": "ZHANGSUN", "轩辕": "XUANYUAN", "軒轅": "XUANYUAN", "端木": "DUANMU",
    "南宫": "NANGONG", "南宮": "NANGONG", "西门": "XIMEN", "西門": "XIMEN", "呼延": "HUYAN",
    "闻人": "WENREN", "聞人": "WENREN", "赫连": "HELIAN", "赫連": "HELIAN", "澹台": "TANTAI",
    "澹臺": "TANTAI", "公冶": "GONGYE", "宗政": "ZONGZHENG", "濮阳": "PUYANG", "濮陽": "PUYANG",
    "淳于": "CHUNYU", "单于": "CHANYU", "單于": "CHANYU", "太叔": "TAISHU", "申屠": "SHENTU",
    "拓跋": "TUOBA", "独孤": "DUGU", "獨孤": "DUGU", "百里": "BAILI", "东郭": "DONGGUO",
    "東郭": "DONGGUO", "钟离": "ZHONGLI", "鍾離": "ZHONGLI", "万俟": "MOQI", "萬俟": "MOQI",
    "司空": "SIKONG", "乐正": "YUEZHENG", "樂正": "YUEZHENG", "左丘": "ZUOQIU", "第五": "DIWU",
    "巫马": "WUMA", "巫馬": "WUMA", "公羊": "GONGYANG", "谷梁": "GULIANG", "穀梁": "GULIANG",
}  # fmt: skip

# Single-character surnames whose surname reading differs from the character's common reading.
SURNAME_READINGS: dict[str, str] = {
    "单": "SHAN", "單": "SHAN", "曾": "ZENG", "乐": "YUE", "樂": "YUE", "仇": "QIU",
    "区": "OU", "區": "OU", "查": "ZHA", "解": "XIE", "朴": "PIAO", "盖": "GE", "蓋": "GE",
    "缪": "MIAO", "繆": "MIAO", "翟": "ZHAI", "覃": "QIN", "种": "CHONG", "種": "CHONG",
    "秘": "BI", "召": "SHAO", "员": "YUN", "員": "YUN", "纪": "JI", "紀": "JI", "任": "REN",
    "薄": "BO", "柏": "BAI", "宓": "FU", "句": "GOU", "隗": "WEI", "能": "NAI", "黑": "HE",
    "过": "GUO", "過": "GUO", "繁": "PO", "折": "SHE", "宿": "SU", "冼": "XIAN", "祭": "ZHAI",
    "燕": "YAN", "华": "HUA", "華": "HUA", "车": "CHE", "車": "CHE", "贾": "JIA", "賈": "JIA",
    "沈": "SHEN", "瀋": "SHEN", "卜": "BU", "牟": "MU", "都": "DU", "阚": "KAN", "闞": "KAN",
    "尉": "WEI", "长": "CHANG", "長": "CHANG", "重": "CHONG", "藏": "ZANG", "臧": "ZANG",
    "石": "SHI", "葛": "GE", "占": "ZHAN", "尹": "YIN", "莘": "SHEN", "郇": "XUN", "逄": "PANG",
    "眭": "SUI", "睢": "SUI", "蕃": "PI", "粘": "NIAN", "奇": "JI", "曲": "QU", "朝": "CHAO",
}  # fmt: skip

_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF))
_JAPANESE_MARKS = frozenset("々〆ヶ")


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _HAN_RANGES) or ch in _JAPANESE_MARKS


def split_name(word: str) -> tuple[str, ...]:
    """Split a Chinese name written as one word into surname and given name."""
    if len(word) < 2 or not all(_is_han(ch) for ch in word):
        return (word,)
    cut = 2 if word[:2] in COMPOUND_SURNAMES and len(word) > 2 else 1
    return word[:cut], word[cut:]


def _syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin  # imported late: its dictionaries load on import

    return [s.upper() for s in lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="default")]


def _surname(text: str) -> list[str]:
    if text in COMPOUND_SURNAMES:
        return [COMPOUND_SURNAMES[text]]
    if text in SURNAME_READINGS:
        return [SURNAME_READINGS[text]]
    return _syllables(text)


def _ue(spelling: str, to: str) -> str:
    return spelling.replace("Ü", to)


def _repeat_marks(word: str) -> str:
    """Write out the iteration mark 々 as the character it repeats (佐々木 → 佐佐木)."""
    out: list[str] = []
    for ch in word:
        out.append(out[-1] if ch == "々" and out else ch)
    return "".join(out)


def romanize(words: Sequence[str]) -> list[str]:
    """Return the pinyin spelling of a Chinese name, then the alternatives named above."""
    split = len(words) == 1
    written = [_repeat_marks(word) for word in words]
    parts = list(split_name(written[0])) if split else written
    read = [_surname(parts[0]) if split else _syllables(parts[0])]
    read += [_syllables(part) for part in parts[1:]]
    joined = " ".join("".join(syllables) for syllables in read)
    apart = " ".join(" ".join(syllables) for syllables in read)
    candidates = [_ue(joined, "YU"), _ue(apart, "YU"), _ue(joined, "U")]
    japanese_shape = len(words) == 2 and all(len(word) <= 3 for word in words)
    if japanese_shape or any(mark in word for word in words for mark in _JAPANESE_MARKS):
        candidates.append(kana.romanize(words)[0])
    return candidates
