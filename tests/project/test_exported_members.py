import qa


def test_public_api_is_pinned() -> None:
    assert sorted(qa.__all__) == [
        "Answer",
        "ArticleError",
        "Assistant",
        "Citation",
        "ConfigError",
        "IndexError_",
        "IndexUnavailableError",
        "IngestReport",
        "LLMError",
        "ModelMismatchError",
        "Passage",
        "QAError",
        "QuestionError",
        "Settings",
        "__version__",
    ]
    for name in qa.__all__:
        assert getattr(qa, name) is not None


def test_errors_share_one_root() -> None:
    for name in ("ArticleError", "ConfigError", "IndexError_", "IndexUnavailableError", "LLMError",
                 "ModelMismatchError", "QuestionError"):
        assert issubclass(getattr(qa, name), qa.QAError)
