"""Arabic-aware text handling: normalise, stem lightly, tokenise, split sentences, tell the script.

Hand-written because no maintained PyPI package offers Lucene's light ArabicStemmer and
ArabicNormalizer without pulling a JVM or NLTK data downloads; the rules below are Lucene's.
"""

from __future__ import annotations

import re
from functools import lru_cache

_HARAKAT = re.compile("[\u064b-\u0652\u0670\u0640]")  # tanwin..sukun, superscript alef, tatweel
_ALEF = str.maketrans({"آ": "ا", "أ": "ا", "إ": "ا", "ى": "ي", "ة": "ه", "ٱ": "ا"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

# Levantine/Iraqi and English month names -> the names the article uses. Patterns accept every
# hamza spelling, so they work on raw text (for the dense query) and on normalised text alike.
_A = "[اأإآ]"
_MONTHS = [
    (rf"كانون\s+ال{_A}?ثاني", "يناير"),
    (r"شباط", "فبراير"),
    (rf"{_A}ذار", "مارس"),
    (r"نيسان", "أبريل"),
    (rf"{_A}يار", "مايو"),
    (r"حزيران", "يونيو"),
    (r"تموز", "يوليو"),
    (rf"(?<=\d)\s*{_A}ب\b", " أغسطس"),  # آب is also "father": only right after a day number
    (rf"{_A}يلول", "سبتمبر"),
    (rf"تشرين\s+ال{_A}ول", "أكتوبر"),
    (rf"تشرين\s+ال{_A}?ثاني", "نوفمبر"),
    (rf"كانون\s+ال{_A}ول", "ديسمبر"),
    (r"\bjanuary\b", "يناير"), (r"\bfebruary\b", "فبراير"), (r"\bmarch\b(?=\s*\d)", "مارس"),
    (r"\bapril\b", "أبريل"), (r"\bmay\b(?=\s*\d)", "مايو"), (r"\bjune\b", "يونيو"),
    (r"\bjuly\b", "يوليو"), (r"\baugust\b", "أغسطس"), (r"\bseptember\b", "سبتمبر"),
    (r"\boctober\b", "أكتوبر"), (r"\bnovember\b", "نوفمبر"), (r"\bdecember\b", "ديسمبر"),
    (r"\bdec\b\.?", "ديسمبر"),
]
_MONTH_RES = [(re.compile(p, re.IGNORECASE), r) for p, r in _MONTHS]
# most texts name none of these months: a substring test first spares them the 27 substitutions
# (55 µs a sentence; a sixth of opening a 10k-chunk index went to them)
_MONTH_HINTS = ("كانون", "شباط", "ذار", "نيسان", "يار", "حزيران", "تموز", "يلول", "تشرين", "jan", "feb",
                "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_AB = re.compile(r"\d\s*[اأإآ]ب")  # آب only right after a day number

_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "يه", "ه", "ه", "ي")  # ية/ة already normalised to يه/ه

_STOPWORDS_RAW = (
    """
    في من على الى إلى عن مع ما ماذا متى كيف لماذا لم لن هل كم اين أين اي أي التي الذي الذين هذا هذه ذلك تلك
    هو هي هم هن انا نحن انت كان كانت يكون او أو ثم قد لا بعد قبل بين عند حول كل بعض غير حتى اذا إذا ان أن إن
    لقد وقد وما ومن وفي وعلى ومتى ولماذا وكيف وماذا وهل وكم فما فمن هناك ايضا أيضا مثل خلال حسب المقال يقول تقول
    قال ذكر يذكر بمن لمن عمن مما بما انه أنه منه إياه اياه لهذا تم حيث الا إلا بينما الآن الان كما عدة وقد وكان وكانت ولا
    هما هن اللذان اللتان اللواتي اللاتي فيه فيها فيهم فيهما به بها بهم له لها لهم لهما عليه عليها عليهم إليه إليها اليه
    اليها عنه عنها منها منهم معه معها ذاك هؤلاء هذان هاتان أية ايه أيها تكون يكونوا كانوا ليس ليست لدى لدي أحد احد
    بعد بذلك لذلك وذلك هل أم ام بل لكن ولكن إذ اذ لو إنه لأن لان أنها انها يتم تتم وهو وهي وهم بعض أي اي يمكن
    اللي مين شو ليش وين إيمتى ايمتى امتى إمتى قديش هيك هاد هادا هاي هاي هلق هلأ بدي بدك عم رح راح كتير منشان مشان
    ايش إيش وش ازاي إزاي ليه فين امتي دلوقتي صار صارت حصل حدث لازم لحتى يلي بس حدا متل تبع بالضبط بالزبط
    قالت قالوا حكى حكت حكوا حكيوا يحكي تحكي بيحكي بتحكي بيحكوا بيحكو
    هالشي هالشيء هالموضوع هالقصة هالقصه هالأمر هالامر هالمسألة هالمساله هالحكي
    the a an of in on at to for from by with about and or but is are was were be been being do does did
    what who whom whose which when where why how many much there this that these those it its he she they
    his her their him them i you we me my our your as into than then so if not no any some according
    article say says said tell report reported mention mentioned does did can could would should
    has have had will shall may might must also just only very more most other such both each
    happen happens happened happening occur occurs occurred take took taken place give gave
    anyone anything someone something thing things way per text story during while within among upon via
    going gonna up out off down over back away doing done am having after before section sections paragraph
    بحسب وفق وفقا بخصوص
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_TOKEN = re.compile(r"\w+")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def clean_invisible(text: str) -> str:
    """Drop zero-width and bidi-control characters, which change nothing a reader sees."""
    return _INVISIBLE.sub("", text)


def _fold(text: str) -> str:
    return _HARAKAT.sub("", text).translate(_ALEF).translate(_DIGITS).lower()


STOPWORDS = frozenset(_fold(word) for word in _STOPWORDS_RAW)


def strip_harakat(text: str) -> str:
    """The text without harakat and tatweel (مَتى -> متى), letters otherwise as written."""
    return _HARAKAT.sub("", text)


def normalize(text: str) -> str:
    """Fold Arabic spelling variants for matching: hamza forms -> ا, ى -> ي, ة -> ه, no harakat or
    tatweel, Arabic-Indic digits -> ASCII, Latin lower-cased, Levantine and English month names ->
    the article's. Not for display: quotes always come from the original text."""
    text = clean_invisible(text)
    return _fold(canonical_dates(text))


def fold(word: str) -> str:
    """`normalize` for one word, without its month names (a phrase's business): 6x faster."""
    return _fold(clean_invisible(word))


MONTHS = ("يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو", "اغسطس", "سبتمبر", "اكتوبر",
          "نوفمبر", "ديسمبر")
def canonical_dates(text: str) -> str:
    """Arabic-Indic digits -> ASCII and Levantine/English month names -> the Egyptian-style names
    the article uses (كانون الأول -> ديسمبر). Keeps everything else as written, for the encoder."""
    text = text.translate(_DIGITS)
    low = text.lower()
    if not any(hint in low for hint in _MONTH_HINTS) and not _DAY_AB.search(text):
        return text
    for pattern, replacement in _MONTH_RES:
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Lucene's light Arabic stemmer on an already normalised token; other scripts pass through."""
    if not _ARABIC_LETTER.match(token):
        return token
    for prefix in _PREFIXES:
        keep = 3 if prefix == "و" else 2
        if token.startswith(prefix) and len(token) - len(prefix) >= keep:
            token = token[len(prefix):]
            break
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            token = token[: -len(suffix)]
    return token


_VERB_ENDINGS = ("وا", "ون", "ت", "ن")  # they (past / present), she, they (f.)


def derived_nouns(token: str) -> list[str]:
    """The nouns a verb's derived form makes, as `stem` leaves them: its verbal noun (masdar) and
    its participle. يأثر / يؤثر -> تاثير (form II), حدد -> تحديد, محدد (II: a written double letter is
    II's shadda), يعيدوا -> اعاد (hollow IV, إعادة), اعتبر -> اعتبار, معتبر (VIII), تناقش -> مناقش (III,
    مناقشة), يستخدم -> استخدام, مستخدم (X); each also with the accusative's alif (معتبرًا -> معتبرا).
    A news report names an act by its verbal noun, or its doer by the participle, where a question
    asks with the verb. A leading ي ن ا (a present's prefix, or the ا of a form VIII or X past:
    اجتمع -> اجتماع) goes; a leading ت is taken for a present prefix only on a longer word: تحدث
    "spoke" is form V, not a present of حدث. Form I's nouns follow no one pattern, so a bare
    three-letter verb gives none. Levantine's present بـ and the future's سـ go first (بيأثر, سيؤثر ->
    يأثر, يؤثر). A participle of form VIII or X gives its verbal noun (مجتمع -> اجتماع)."""
    out: list[str] = []
    token = token[1:] if token[:1] in ("ب", "س") and token[1:2] in ("ي", "ت", "ن") and len(token) >= 5 else token
    for word in dict.fromkeys([token, *(token[: -len(e)] for e in _VERB_ENDINGS
                                        if token.endswith(e) and len(token) - len(e) >= 3)]):
        present = (word[0] in "ينا" and len(word) >= 4) or (word[0] == "ت" and len(word) >= 5)
        # a participle of form VIII or X (مجتمع -> اجتماع, مستخدم -> استخدام); one of form II or IV
        # (مفعّل, مفعل) is spelled like form I's nouns of place (مقتل, مصدر), so it is left alone
        participle = word[0] == "م" and (len(word) == 5 and word[2] == "ت" or len(word) == 6 and word[1:3] == "ست")
        base = word[1:] if present or participle else word
        base = "ا" + base[1:] if base.startswith("ؤ") else base  # يؤثر: the hamza seat of the present
        if len(base) == 3 and (present or base[1] == base[2]):
            out += ["ت" + base[:2] + "ي" + base[2], "ا" + base[:2] + "ا" + base[2]]  # II تفعيل, IV إفعال
            if base[1] in "وي":
                out.append("ا" + base[0] + "ا" + base[2])  # hollow IV: إعادة, stemmed
            out.append("م" + base)  # II مفعّل, IV مفعل
        elif len(base) == 4 and base[1] == "ت":
            out += ["ا" + base[0] + "ت" + base[2] + "ا" + base[3], "م" + base]  # VIII: افتعال, مفتعل
        elif len(base) == 4 and base[1] == "ا" and present:
            out.append("م" + base)  # III: مفاعل, and مفاعلة stemmed
        elif len(base) == 5 and base.startswith("ست"):
            out += ["ا" + base[:4] + "ا" + base[4], "م" + base]  # X: استفعال, مستفعل
    return list(dict.fromkeys(out + [noun + "ا" for noun in out]))


def verbs_of(noun: str) -> list[str]:
    """The past-tense verb a derived form's verbal noun (as `stem` leaves it) comes from, the reverse
    of `derived_nouns`: اتصال -> اتصل (VIII), استخدام -> استخدم (X), تأكيد -> اكد, تعزيز -> عزز (II),
    اعلان -> اعلن (IV), مناقش -> ناقش (III, مناقشة). A question asks «ما تاريخ الاتصال؟» where the
    article says «اتصل وزير الخارجية ...»."""
    out = []
    if len(noun) == 6 and noun[0] == "ا" and noun[2] == "ت" and noun[4] == "ا":
        out.append(noun[:4] + noun[5])  # VIII: افتعال -> افتعل
    if len(noun) == 7 and noun.startswith("است") and noun[5] == "ا":
        out.append(noun[:5] + noun[6])  # X: استفعال -> استفعل
    if len(noun) == 5 and noun[0] == "ت" and noun[3] == "ي":
        out.append(noun[1:3] + noun[4])  # II: تفعيل -> فعل
    if len(noun) == 5 and noun[0] == "ا" and noun[3] == "ا":
        out.append(noun[:3] + noun[4])  # IV: إفعال -> أفعل
    if len(noun) == 5 and noun[0] == "م" and noun[2] == "ا":
        out.append(noun[1:])  # III: مفاعلة -> فاعل
    return out


_PRONOUN_SUFFIXES = ("هما", "هم", "هن", "ها", "ه", "كم", "نا", "ي")


def _function_word(raw: str) -> bool:
    """A stopword as written, behind و or ف, or with a pronoun suffix (خلالها "during it", وبعده)."""
    bare = raw[1:] if raw[:1] in ("و", "ف") and len(raw) > 2 else raw
    return raw in STOPWORDS or bare in STOPWORDS or any(
        bare.endswith(suffix) and bare[: -len(suffix)] in STOPWORDS for suffix in _PRONOUN_SUFFIXES
        if len(bare) > len(suffix) + 1)


def _is_stopword(raw: str, token: str) -> bool:
    return raw in STOPWORDS or token in STOPWORDS or (raw[:1] in ("و", "ف") and raw[1:] in STOPWORDS)


def words(text: str) -> list[str]:
    """The words of `text` folded as `normalize` folds them (month names aside), not stemmed."""
    return _TOKEN.findall(fold(text))


def tokens(text: str, *, drop_stopwords: bool = False, keep: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Normalised, stemmed word tokens of `text`, for BM25 and for lexical overlap. With
    `drop_stopwords`, a word whose stem is a stopword is dropped too (بعدها -> بعد), unless it is
    in `keep` as written (normalised) and is no function word (`_function_word`): the article's
    الولايات and هوية stem to ولا and هو."""
    out = []
    for raw in _TOKEN.findall(normalize(text)):
        if raw == "_":
            continue
        token = stem(raw)
        if drop_stopwords and _is_stopword(raw, token) and not (raw in keep and not _function_word(raw)):
            continue
        out.append(token)
    return out


# -- what kind of answer a question wants ---------------------------------------------------
# A sentence that carries the kind of answer asked for (a date for "when", a number for "how
# many") is a better answer than one that only shares the question's words. ("why" in general was
# tried with cause words such as بسبب/أدى; on XQuAD it picked worse sentences. The `cause` kind is
# narrower: "why did it happen?" wants a sentence saying what led to an occurrence.)
_KINDS = {
    "when": re.compile(r"^\W*when\b|(,|\band)\s+when\b|\b(what|which|on what) (date|day|year|month)\b|متى|متي|تاريخ"
                       r"|\bwhat(?:'s| is| was| were)? the (?:date|day|year|month)\b|\b(?:the|its|a) date\b"
                       r"|(أي|اي|أيّ)\s+(يوم|عام|سنة)", re.IGNORECASE),
    "how_many": re.compile(r"\bhow (many|much)\b|\bnumber of\b|\btoll\b|(?<!\w)كم(?!\w)|عدد|قديش|حصيلة",
                           re.IGNORECASE),
    "cause": re.compile(r"\bwhy\b.*\b(?:happen\w*|occur\w*|take place|took place)\b|\bwhat (?:caused|led to)\b"
                        r"|\bwhat (?:is|was|were) behind\b"
                        r"|(?:لماذا|ليش|ليه)\s.*(?:وقع|حدث|صار|جرى|حصل)ت?(?!\w)|(?:سبب|اسباب|أسباب)\s+(?:وقوع|حدوث)"
                        r"|(?:ما|شو)\s+(?:الذي|اللي)\s+(?:أدى|ادى|سبب|تسبب)"
                        r"|\bwhat (?:is|was|were) the (?:causes?|reasons?) (?:of|for|behind)\b"
                        r"|(?:ما|شو)\s+(?:هو\s+|هي\s+)?(?:سبب|أسباب|اسباب)(?!\w)", re.IGNORECASE),
    # "What did X stress?", "How did he react?", «بماذا وصف ...», «شو كان رد فعل ...»: what someone said,
    # which a news report gives in a sentence with a reporting verb (not "what does the article say")
    "said": re.compile(
        r"\bwhat (?:did|does|do|has|had)\b(?! (?:the|this|that|its) (?:\w+ )?(?:article|report|piece|text|story|conclusion|writer|author|incident|attack|section|part|paragraph)\b)"
        r"(?! (?:that|this|it)\b).*\b(?:say|said|stress\w*|emphasi[sz]\w*|express\w*|declare\w*|underline\w*|urge\w*"
        r"|push\w* for|call\w* for|insist\w*)\b"
        r"|\bhow did\b(?! (?:the|this|that) (?:article|report|piece|text|story|conclusion|writer|author)\b)"
        r".*\b(?:react|respond|describe|characteri[sz]e)\w*\b|\b(?:reaction|response)s? (?:to|of)\b"
        r"|(?:ماذا|ما\s+الذي|بماذا|بما|علام|على\s+ماذا|عن\s+ماذا|على\s+شو|عن\s+شو|شو|ايش|إيش)\s+(?:\S+\s+)?"
        r"(?:قال|يقول|قالت|صرح|صرّح|أكد|أكّد|اكد|شدد|شدّد|أعرب|اعرب|وصف|دعا|حكى|حكت|حكوا|حكيوا|أوضح|اوضح)(?:ت|وا)?(?!\w)"
        r"(?!\s+(?:المقال|التقرير|النص|الخبر|الكاتب|الخلاصة))"
        r"|كيف\s+(?:رد|ردّ|تفاعل|علق|علّق|وصف|استجاب)(?:ت)?(?!\w)(?!\s+(?:المقال|التقرير|النص|الخبر|الكاتب|الخلاصة))"
        r"|رد[ةه]?\s+(?:فعل|الفعل)", re.IGNORECASE),
    # a clock time or a length of time: when no sentence the question could be answered from holds
    # one, the article does not say it ("What time was the call?", «قديش طوّلت المكالمة؟»; REQUIRED_KINDS)
    "time_of_day": re.compile(
        r"\bwhat time\b(?!\s*(?:fram|period|span|line|zone))|\b(?:at )?what hour\b|\bat which hour\b|\btime of (?:the )?day\b"
        r"|(?:أي|اي|أية|اية)\s+ساع[ةه]|(?<!\w)الساع[ةه]\s+(?:كم|قديش|ايش|إيش|شو)|(?:كم|قديش)\s+(?:كانت\s+)?الساع[ةه]"
        r"|(?:أي|اي)\s+وقت\s+من\s+(?:اليوم|النهار|الليل)", re.IGNORECASE),
    "duration": re.compile(
        r"\bhow long (?:did|does|do|will|would|was|were|is|has|had)\b.*\b(?:last|take|took|go on|went on|continue|run|ran)\w*\b"
        r"|\bfor how long\b|\bhow many (?:minutes|hours|days|weeks|months|years)\b"
        r"|كم\s+(?:من\s+(?:ال)?وقت\s+)?(?:استغرق|استغرقت|دام|دامت|طال|طالت)(?!\w)"
        r"|قديش\s+(?:طول|طوّل|طولت|طوّلت|دام|دامت|استغرق|استغرقت)(?!\w)"
        r"|كم\s+(?:دقيق[ةه]|ساع[ةه]|يوما|يوماً|يوم|أسبوعا|اسبوعا|شهرا|شهراً|سن[ةه]|عاما|عاماً)(?!\w)", re.IGNORECASE),
    # a place: "Where did it happen?", "In which city ...?", «أين وقع ...؟», «وين صار ...؟» (not where the
    # news comes from: that is `source`, which takes precedence)
    "where": re.compile(
        r"(?:^\W*where\b|(?:,|\band)\s+where\b|\bwhere (?:did|does|do|was|were|is|are|has|had|will)\b)"
        r"(?!(?:\s+(?:in|does|do|did|is))?\s+(?:the|this)\s+(?:article|report|piece|text|story)\b)"  # where in the article
        r"|\b(?:in|at|near) (?:which|what) (?:city|town|village|place|region|area|part|province|governorate|country|location|site)\b"
        r"|\b(?:which|what) (?:city|town|village|place|region|area|location|site)\b|\bwhereabouts\b"
        r"|\b(?:from|to) where\b|\bwhere\s*\?\s*$"
        r"|\b(?:which|what) part of (?!the (?:article|report|piece|story|text)\b)"
        r"|(?<!\w)(?:أين|اين|وين|فين)(?!\w)(?!\s+(?:\S+\s+)?(?:المقال|التقرير|النص|الخبر)(?!\w))"
        r"|(?<!\w)(?:في|ب)?\s*(?:أي|اي|أيّ|أية|اية|أيّة)\s+(?:مدين[ةه]|منطق[ةه]|مكان|بلد[ةه]?|محافظ[ةه]|دول[ةه])(?!\w)"
        r"|(?:ما|شو)\s+(?:هو\s+|هي\s+)?(?:مكان|موقع)(?!\w)", re.IGNORECASE),
    "source": re.compile(r"\bsources?\b|\bpublish|\boutlets?\b|\bcredit|\bwhere\b.*\b(?:information|news|story|report|article|piece)\b.*\bfrom\b"
                         r"|\b(?:read|learn|find out) more\b|\bmore details\b|\bfull (?:story|article|report)\b"
                         r"|مزيدا?\s+من\s+(?:ال)?تفاصيل|(?:أين|اين|وين)\s+(?:أقرأ|اقرأ|أقرا|اقرا|بقرا|بقرأ)(?!\w)"
                         r"|مصدر|مصادر|(?:أين|اين|وين)\s+(?:جاء|جاءت|أتت|نشر|نشرت)(?!\w)"
                         r"|(?<!\w)من\s+(?:أين|اين|وين)(?!\w).*(?:معلوم|خبر|أخبار|اخبار)"
                         r"|(?<!\w)نقل(?:ت|ا|اً)?\s+عن|(?:جه[ةه]|وسيل[ةه]|وسائل)\s+(?:ال)?[إا]علام", re.IGNORECASE),
}
_NUMBER_WORDS = ("اثنان اثنين اثنتين ثلاثة ثلاث أربعة أربع خمسة خمس ستة ست سبعة سبع ثمانية ثماني تسعة تسع عشرة عشر "
                 "عشرات مئة مائة مئات ألف آلاف مليون ملايين مليار نصف ربع ثلث")


_PART_BREAK = re.compile(
    r"(?:,|;)?\s+and\s+(?=(?:what|who|whom|when|where|which|why|how)\b)"
    r"|[،,]\s*و(?=(?:ما|من|متى|كيف|أين|اين|ماذا|لماذا|كم|هل|لم)(?:\s|$))",
    re.IGNORECASE,
)


def question_parts(text: str) -> list[str]:
    """A compound question's parts ("How did X react, and what did he stress?" -> two), when each
    part has content words of its own; otherwise the question whole ("Who called whom, and when?")."""
    parts = [p.strip(" ,،؟?") for p in _PART_BREAK.split(text)]
    if len(parts) > 1 and all(tokens(p, drop_stopwords=True) for p in parts):
        return parts
    return [text]


# -- where in the article a question points ------------------------------------------------
# "What does the conclusion say?", «حسب خاتمة المقال»: the question names a part of the article
# rather than its topic, and no word of it need be in that part.
_PLACES = {
    "end": re.compile(
        r"\bconclusions?\b|\bwrap-?ups?\b|\bwraps? up\b|\b(?:in|at) the end\b(?! of)"
        r"|\b(?:end|close) of the (?:article|report|piece|story|text)\b|\bhow does (?:it|the \w+) end\b"
        r"|\b(?:final|last|closing|concluding) (?:part|section|paragraph|lines?|words|remarks|thoughts)\b"
        r"|(?<!\w)الخاتم[ةه](?!\w)|(?<!\w)الختام(?!\w)|(?<!\w)خاتمت(?:ه|ها)(?!\w)"  # "the conclusion", "its conclusion"
        r"|(?:خاتم[ةه]|ختام|نهاي[ةه]|آخر|اخر)\s+(?:المقال|التقرير|النص|الخبر)|(?:القسم|الفقرة|الجزء)\s+(?:الأخير|الاخير)",
        re.IGNORECASE),
    "start": re.compile(
        r"\bintro(?:duction|ductory)?\b(?! of)|\bopening (?:part|section|paragraph|lines?|sentence)\b"
        r"|\b(?:first|lead|top) (?:part|section|paragraph|lines?|sentence)\b"
        r"|\b(?:start|beginning|top) of the (?:article|report|piece|story|text)\b"
        r"|مقدم[ةه]\s+(?:المقال|التقرير|النص|الخبر)|(?:بداي[ةه]|مطلع|أول|اول)\s+(?:المقال|التقرير|النص|الخبر)"
        r"|(?:القسم|الفقرة|الجزء)\s+(?:الأول|الاول)"
        # the whole article: a news report's lead is its summary, and its heading is the title
        r"|\bwhat(?:'s| is| was)? (?:this|the) (?:article|report|piece|story|text|news) about\b|\bwhat(?:'s| is) it about\b"
        r"|\b(?:summar(?:y|ise|ize)|gist|overview|main (?:point|idea|topic)s?)\b(?! (?:of|for) (?!the (?:article|report|piece|story|text)\b))"
        r"|\btl;? ?dr\b"  # chat shorthand for "too long; didn't read": the summary
        r"|\bheadline\b"
        r"|\b(?:its|the) title\b(?! of (?!the (?:article|report|piece|story|text)\b))"  # not "the title of the minister"
        r"|موضوع\s+(?:المقال|التقرير|النص|الخبر)|(?:عن\s+ماذا|عما|عن\s+شو|عن\s+ايش)\s+(?:يتحدث|يتكلم|يحكي|يدور)"
        r"\s+(?:المقال|التقرير|النص|الخبر)|(?<!\w)(?:لخص|تلخيص|ملخص)|عنوان\s+(?:المقال|التقرير|النص|الخبر)|(?<!\w)العنوان(?!\w)"
        r"|(?:ال)?فكر[ةه]\s+(?:الرئيسي[ةه]|العام[ةه]|الأساسي[ةه])(?!\s+ل)|فكر[ةه]\s+(?:المقال|التقرير|النص|الخبر)",
        re.IGNORECASE),
}


def question_place(text: str) -> str | None:
    """The part of the article a question points to: "end" (its conclusion, last section), "start"
    (its opening, the lead section; also for "what is the article about?", its summary and its
    title, which a news report's lead and heading give), or None."""
    text = _HARAKAT.sub("", text)
    return next((place for place, pattern in _PLACES.items() if pattern.search(text)), None)


PLACE_TOKENS = {place: f"\x01{place}" for place in _PLACES}  # no word tokenises to these


def without_place(text: str) -> str:
    """The question without the words that name a part of the article: they say where to look,
    not what to find, so no sentence need contain them."""
    text = _HARAKAT.sub("", text)
    for pattern in _PLACES.values():
        text = pattern.sub(" ", text)
    return text


# what a question about the source calls the news ("Where is the information in the article
# from?", «من أين جاءت هذه المعلومات؟»): it names what is sourced, not anything a sentence must hold;
# the article's «بناءً على المعلومات المتاحة» is no source
_SOURCE_FRAME = re.compile(
    r"\b(?:the\s+)?(?:information|news|story|report|article|piece|details)\b"
    r"|(?<!\w)(?:[وف]?(?:ب|ل|لل)?(?:ال)?)(?:معلومات|معلومة|معلومه|معلوماته|معلوماتو|خبر|أخبار|اخبار|تقرير|مقال|تفاصيل)(?!\w)",
    re.IGNORECASE)


# what a question about a date calls it ("What was the date of the call?", «ما تاريخ الاتصال؟»): the
# kind of answer asked for (a date: `when`), not a word the sentence holds. Not "year" or "day":
# a dated sentence often says «عام 1992», «يوم الأحد»
_DATE_FRAME = re.compile(r"\bdates?\b|(?<!\w)(?:ال|بال)?تاريخ(?!\w)", re.IGNORECASE)


def without_frame(text: str) -> str:
    """A `source` question without the words for the news it asks the source of, a `when` question
    without the words for a date."""
    kinds = question_kinds(text)
    if "source" in kinds:
        text = _SOURCE_FRAME.sub(" ", text)
    if "when" in kinds:
        text = _DATE_FRAME.sub(" ", text)
    return text


KINDS = tuple(_KINDS)


def question_kinds(text: str) -> frozenset[str]:
    """The kinds of answer a question asks for, among `when`, `where` (a sentence saying where:
    `holds_place`), `how_many`, `cause` (why an event
    happened: a sentence saying what led to its occurrence), `said` (what someone said or how they
    reacted: a sentence with a reporting verb), `time_of_day` and `duration` (a clock time, a length
    of time: REQUIRED_KINDS) and `source` (where the news comes from: a sentence naming a source)."""
    text = _HARAKAT.sub("", text)  # مَتى is متى
    kinds = {kind for kind, pattern in _KINDS.items() if pattern.search(text)}
    if "source" in kinds:  # "Where did this story come from?" asks for a source, not a place
        kinds.discard("where")
    return frozenset(kinds)


# an occurrence asked about ("why did it happen?", «لماذا وقع ...؟», «سبب وقوع ...»), which a sentence
# saying what "led to the occurrence of this incident" answers even when it does not name the event
_OCCURRENCE = re.compile(r"\b(?:happen\w*|occur\w*|take place|took place)\b"
                         r"|(?<!\w)(?:وقع|حدث|صار|جرى|حصل)ت?(?!\w)|(?<!\w)(?:وقوع|حدوث)(?!\w)", re.IGNORECASE)


# or the event itself, named right after what asks its cause ("what caused the attack?", «ما سبب
# الهجوم؟»), unlike an outcome of it ("what led to the killing of the soldiers?")
_EVENT = (r"(?:attacks?|incidents?|assaults?|bombings?|explosions?|blasts?|ambush(?:es)?|shootings?|raids?"
          r"|clash(?:es)?|fires?|accidents?|crash(?:es)?|events?)")
_CAUSE_OF_EVENT = re.compile(
    rf"\b(?:caus\w*|led to|lead to|reasons?|behind)\s+(?:(?:of|for|behind)\s+)?(?:(?:the|this|that|these)\s+)?"
    rf"(?:\w+\s+)?{_EVENT}\b"
    r"|(?:سبب|أسباب|اسباب|أدى\s+(?:إلى|الى|الي)|ادى\s+(?:إلى|الى|الي)|تسبب\s+(?:في|ب))\s*(?:هذا\s+|هذه\s+)?"
    r"(?:ال)?(?:هجوم|هجمة|هجمه|حادث|حادثة|حادثه|اعتداء|إعتداء|تفجير|انفجار|إنفجار|كمين|حريق|اشتباك|غارة|غاره)(?!\w)",
    re.IGNORECASE)


def asks_why_it_happened(text: str) -> bool:
    """True for a `cause` question about an event: its occurrence ("why did the attack happen?") or
    the event named as what was caused ("what caused the attack?"), not one of its outcomes ("what
    led to the deaths?")."""
    text = _HARAKAT.sub("", text)
    return "cause" in question_kinds(text) and bool(_OCCURRENCE.search(text) or _CAUSE_OF_EVENT.search(text))


def asks_when(text: str) -> bool:
    """True for a question about a date (when / متى / تاريخ)."""
    return "when" in question_kinds(text)


NUMBER_TOKENS = frozenset(t for t in tokens(_NUMBER_WORDS) if len(t) >= 3)  # short stems match too much
MONTH_TOKENS = frozenset(tokens(" ".join(MONTHS)))
CAUSE_TOKENS = frozenset(tokens("أدى أدت يؤدي تؤدي تسبب تسببت سبب تسببا"))
OCCURRENCE_TOKENS = frozenset(tokens("وقوع حدوث اندلاع"))
SOURCE_TOKENS = frozenset(tokens("مصدر مصادر source sources"))
TIME_OF_DAY_TOKENS = frozenset(tokens("الساعة صباحا صباح مساء ظهرا ظهر ليلا ليل فجرا فجر عصرا منتصف "
                                     "am pm noon midnight morning evening afternoon night clock"))
# a length of time, or what can stand for one ("from 1870 to 1939", "until the 19th century", "for a long
# period"); not دقيقة "minute", whose stem is also that of «الدقيقة» "precise"
DURATION_TOKENS = frozenset(tokens("دقائق دقيقتين ساعة ساعات يوم يوما أيام أسبوع أسابيع شهر أشهر شهور سنة سنوات عام أعوام "
                                   "عقد عقود قرن قرون لمدة طوال فترة منذ حتى "
                                   "minute minutes hour hours day days week weeks month months year years decade "
                                   "decades century centuries since until period"))
REQUIRED_KINDS = frozenset({"time_of_day", "duration"})  # asked for and held by no candidate: abstain
# reporting verbs and their participles ("stressed", «معربًا» "expressing"); not بيان or أدان, whose
# stems (بي, اد) match too much, nor طالب ("student" too)
SAID_TOKENS = frozenset(t for t in tokens(
    "قال قالت يقول صرح صرحت تصريح تصريحات أكد أكدت يؤكد مؤكدا التأكيد شدد شددت مشددا أعرب أعربت معربا "
    "اعتبر معتبرا وصف واصفا دعا دعت داعيا أشار مشيرا أوضح موضحا أضاف مضيفا ندد رحب حذر محذرا تعهد تعازيه")
    if len(t) >= 3)


_SOURCE_LINE = re.compile(r"(?<!\w)(?:ال)?(?:مصدر|مصادر)\s*:|\bsources?\s*:", re.IGNORECASE)


def is_source_line(text: str) -> bool:
    """True for an attribution line ("المصدر: ...", "Source: ..."): it answers where the news
    comes from, and nothing else."""
    return bool(_SOURCE_LINE.search(text))


def answers_kind(kind: str, sentence_tokens: tuple[str, ...] | list[str]) -> bool:
    """True when a sentence (as `tokens`) holds the kind of answer `kind` asks for; `where` needs the
    index's place names (`holds_place`, read by qa.retrieval.index.Index.holds), so it is False here."""
    if kind == "when":
        return any(t in MONTH_TOKENS or (t.isdigit() and len(t) == 4) for t in sentence_tokens)
    if kind == "source":
        return any(t in SOURCE_TOKENS for t in sentence_tokens)
    if kind == "cause":  # "X led to / caused the occurrence of ...": what made an event happen
        return any(t in CAUSE_TOKENS and any(u in OCCURRENCE_TOKENS for u in sentence_tokens[i + 1:i + 4])
                   for i, t in enumerate(sentence_tokens))
    if kind == "time_of_day":
        return any(t in TIME_OF_DAY_TOKENS for t in sentence_tokens)
    if kind == "duration":  # a duration word, or two years (a span)
        return (any(t in DURATION_TOKENS for t in sentence_tokens)
                or sum(1 for t in sentence_tokens if t.isdigit() and len(t) == 4) >= 2)
    if kind == "said":
        return any(t in SAID_TOKENS for t in sentence_tokens)
    if kind == "how_many":
        return any(t.isdigit() or t in NUMBER_TOKENS for t in sentence_tokens)
    return False


# a noun phrase that points back to an earlier sentence: «تلك القوات», «لهذا الحادث», «هذه الظروف»
_POINTS_BACK = re.compile(r"(?<!\w)[وفلب]?(?:هذا|هذه|ذلك|تلك|هؤلاء|أولئك)\s+ال\w+")


def points_back(text: str) -> bool:
    """Whether a sentence names something by pointing back to an earlier one («وقد استهدف الهجوم
    تلك القوات»: which forces, the sentence before says)."""
    return bool(_POINTS_BACK.search(_HARAKAT.sub("", text)))


# what puts a place in answer to "where?": a preposition before a place name the index knows
# («في تدمر», «بتدمر»), or a word that introduces a place, before any word («منطقة لونغوود», «قرب
# شينينغ», «شمال إفريقيا», «تقع كلية الطب ...»): most places a text names are not in GeoNames' cities
_IN = frozenset(_fold(w) for w in ["في", "فى", "داخل", "عند"])
_PLACE_INTRO = frozenset(_fold(w) for w in [
    "قرب", "بالقرب", "منطقة", "مدينة", "بلدة", "قرية", "محافظة", "ريف", "ضواحي", "أنحاء",
    "شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "تقع", "يقع",
])


def holds_place(text: str, place_tokens: frozenset[str] | set[str] = frozenset()) -> bool:
    """True when a sentence says where: a word that introduces a place (منطقة, قرب, شمال, يقع ...)
    before another content word, or one of the index's place names (`place_tokens`, as `tokens`
    gives them: تدمر) after في or with a clitic ب (بتدمر). A known place name elsewhere is often a
    homograph: معربًا "expressing" is also a town's name in GeoNames."""
    words = _TOKEN.findall(fold(text))  # fold, not normalize: no month name is a place (24 against 65 µs a sentence)
    intro = False  # the word before introduces a place (بالقرب من: through its من)
    for i, word in enumerate(words):
        prev = words[i - 1] if i else ""
        if prev[:1] == "و" and (prev[1:] in _IN or prev[1:] in _PLACE_INTRO):
            prev = prev[1:]  # وفي, وقرب
        intro = prev in _PLACE_INTRO or (intro and prev == "من")
        if intro and word not in STOPWORDS:
            return True
        if prev in _IN and stem(word) in place_tokens:
            return True
        bare = word[2:] if word.startswith("وب") else word[1:] if word.startswith("ب") else ""
        if len(bare) >= 3 and stem(bare) in place_tokens:
            return True
    return False


_SENTENCE = re.compile(r"\S.*?(?:[.!?؟؛;…]+(?=[\s\"'»”)\]]|$)[\"'»”)\]]*|$)", re.DOTALL)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences in text[start:end]. Sentences end at Arabic ؟ ؛ and at
    . ! ? ; … when followed by white space or the end, so 2.5 and 14.12.2025 stay whole. Line
    breaks always end a sentence."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    line_start = start
    for line in text[start:end].split("\n"):
        for match in _SENTENCE.finditer(line):
            s, e = match.span()
            piece = line[s:e].rstrip()
            if piece:
                spans.append((line_start + s, line_start + s + len(piece)))
        line_start += len(line) + 1
    return spans


def detect_language(text: str) -> str:
    """'ar' when the question has more Arabic words than Latin ones, 'en' when fewer; on a tie, the
    script of the first word (the question word usually leads). A mixed question such as "What did
    وزارة الداخلية السورية do?" counts as English: names keep their script, the sentence around
    them is the language."""
    words = [w for w in _TOKEN.findall(text) if _ARABIC_LETTER.search(w) or _LATIN_LETTER.search(w)]
    arabic_words = sum(1 for w in words if _ARABIC_LETTER.search(w))
    latin_words = len(words) - arabic_words
    if arabic_words != latin_words:
        return "ar" if arabic_words > latin_words else "en"
    return "ar" if words and _ARABIC_LETTER.search(words[0]) else "en"
