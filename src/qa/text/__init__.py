"""Text, with no knowledge of questions or the index: normalising and stemming Arabic
(normalize, words, morphology), sentences, language, token counting, the cross-lingual word
bridge (bridge, names, dictionary, places), dialect and alias tables, and the data-file readers
(tables)."""
