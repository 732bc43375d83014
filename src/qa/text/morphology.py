"""Arabic derivational morphology, as far as matching a question's verb to a news report's noun
needs it: the verbal noun (masdar) and participle a derived verb makes, and the verb a verbal noun
comes from. A news report names an act by its verbal noun, or its doer by the participle, where a
question asks with the verb («من حدد هوية المهاجم؟» against «تحديد هوية منفذ الهجوم»).

Hand-written: the patterns of forms II-X are a few lines, and no maintained offline package gives
them for light-stemmed tokens.
"""

from __future__ import annotations

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
    token = (
        token[1:] if token[:1] in ("ب", "س") and token[1:2] in ("ي", "ت", "ن") and len(token) >= 5 else token
    )
    for word in dict.fromkeys([token, *(token[: -len(e)] for e in _VERB_ENDINGS
                                        if token.endswith(e) and len(token) - len(e) >= 3)]):
        present = (word[0] in "ينا" and len(word) >= 4) or (word[0] == "ت" and len(word) >= 5)
        # a participle of form VIII or X (مجتمع -> اجتماع, مستخدم -> استخدام); one of form II or IV
        # (مفعّل, مفعل) is spelled like form I's nouns of place (مقتل, مصدر), so it is left alone
        participle = word[0] == "م" and (
            len(word) == 5 and word[2] == "ت" or len(word) == 6 and word[1:3] == "ست"
        )
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
