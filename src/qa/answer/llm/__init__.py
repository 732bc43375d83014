"""LLM mode: answers written by an OpenAI-compatible chat model, from retrieved passages, with
every claim checked against the article.

    client.py     make the LangChain chat model from Settings (lazy import of langchain-openai)
    packing.py    fit whole ranked chunks into the token budget, numbered and headed
    citations.py  split the reply into sentences, keep those with valid [n] markers, attach quotes
    failures.py   map client errors to a reason and a notice in the question's language
    calls.py      run one streamed model call against a deadline
    chain.py      condense -> retrieve (+ translation) -> prompt -> model -> validated Answer
"""
