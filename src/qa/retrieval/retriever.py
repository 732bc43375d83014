"""The assistant's retrieval as a LangChain retriever, for use in your own chains:

    retriever = Assistant().as_retriever(k=4)
    docs = retriever.invoke("Who called whom, and when?")

Kept apart from qa.retrieval.index so that `qa ask` does not import LangChain's retriever classes.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever


class HybridRetriever(BaseRetriever):
    """Documents for the best passages, best first; metadata carries the article title, the section
    heading, the score and the character span."""

    assistant: Any
    k: int = 4

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        """The best passages; `k` passed to `invoke` overrides the retriever's."""
        return [
            Document(
                page_content=p.text,
                id=p.chunk_id,
                metadata={"article": p.article, "section": p.section, "score": p.score,
                          "article_id": p.article_id, "section_index": p.section_index,
                          "start": p.start, "end": p.end},
            )
            for p in self.assistant.retrieve(query, self.k if k is None else k)
        ]
