"""The fixed texts of docs/themes_accuracy.md (protocol, notes), kept apart from ``themes_eval.py``."""

PROTOCOL = """\
Written by `python eval/themes_eval.py --write` (development rows) or `--final --write` (also the fresh-5 test set);
do not edit by hand. `tests/test_themes.py` recomputes the seeds block below and checks that this file is current.
The corpora part needs `../shared/corpora` (the development corpora, not part of the repository) and is skipped
without it.

## Gold and protocol

- **Seeds' gold** (`tests/gold/themes_gold.csv`): 246 sentences of the five bundled Guangdong bureau documents,
  hand-coded with `tests/gold/README.md`. The seed dictionaries were tuned on three of those documents; the two
  others (the Dongguan proposal reply and Zhongshan) are the held-out row.
- **Development gold** (`tests/gold/corpora_themes_gold.csv`, sampling and conventions in
  `corpora_themes_gold.md`): 336 sentences from 26 government work reports (13 national 2010-2025, 13 provincial
  2025), hand-coded by an annotator who never saw the coder; offsets and hashes only, the text is read from the
  source at run time. In rounds 1-3 it was split by document into a tune half (167 sentences) and a test half
  (169); the test half was scored after every round, so it is no longer untouched. From round 4 on both halves are
  **development data**: their disagreements are read and the supervised complement is trained on them. The rows
  keep the old halves apart ("old tune", "old test") and show national and provincial documents separately.
- **Fresh-1** (`tests/gold/corpora_themes_gold_fresh.csv`, 208 sentences of 16 further government work reports,
  national 2006-2014 and 10 provinces, annotated independently with the same codebook and design): the untouched
  test set of round 4, scored once at its end (the "(recorded)" rows below keep those figures). From round 5 on it
  is **development data** too: rows "corpora: development (fresh-1)" with its national and provincial documents.
- **Fresh-2** (`tests/gold/corpora_themes_gold_fresh2.csv`, 180 sentences of 14 further reports, national
  2000-2005 and 8 provinces, sampling in `eval/sample_themes_fresh2.py`): the untouched test set of round 5, scored
  once at its end (recorded rows). From round 6 on it is **development data**: rows "corpora: development
  (fresh-2)" with its national and provincial documents.
- **Fresh-3** (`tests/gold/corpora_themes_gold_fresh3.csv`, 156 sentences of the seven national reports 1992-1999,
  sampling in `eval/sample_themes_fresh3.py`): the untouched test set of round 6, scored once at its end (recorded
  rows). From round 7 on it is **development data**: rows "corpora: development (fresh-3)" and its national row
  (it has no provincial report).
- **Fresh-4** (`tests/gold/corpora_themes_gold_fresh4.csv`, 189 sentences, three per report from all 63 reports,
  sampling in `eval/sample_themes_fresh4.py`): the untouched test set of round 7, scored once at its end (recorded
  rows, `eval/themes_fresh4_round7.json`). From round 8 on it is **development data**: rows "corpora: development
  (fresh-4)" with its national and provincial rows, and "all development" for the 1069 sentences of the five sets.
- **Fresh-5 test set** (`tests/gold/corpora_themes_gold_fresh5.csv`, sampling in `eval/sample_themes_fresh5.py`):
  three more sentences per report from all 63 reports, none in an earlier sample, same codebook. It is untouched
  at the **sentence level only**: its reports are development reports, whose other sentences were read. It is
  scored only with `--final` (run once, by the lead, after the last change), its disagreements are never printed,
  and it is the only untouched figure. Its rows are "corpora: fresh-5 test (sentence-level: untouched sentences of
  development reports)" with its national and provincial rows; the first version is scored on it by re-running
  the first version's package (`eval/themes_first_version.py`, `git archive` of the commit that froze the
  first-version figures).
- On the corpora, macro-F1 averages the themes with at least 10 gold sentences in that set (the issue's bar);
  every theme's F1 is listed. Instrument type is one label per sentence (supply / environment / demand / none),
  compared by Cohen's kappa.
- **First version** = the coder before any change for issue 18 (the seeds' dictionaries), frozen in
  `eval/themes_first_version.json`; **tuned** = the coder as committed now.
- Each gold sentence is mapped to the package's units (exact text after NFKC/whitespace normalisation, else the
  unit containing it, else the consecutive units covering it); the mapping counts and every unmapped sentence are
  listed below, nothing is dropped.
- **Genre**: rules that differ between the seed codebook (S&T bureau documents) and the corpora codebook
  (government work reports) are keyed on `doc_type` in `themes.yaml` / `instruments.yaml` (`genre_rules`), and so
  is vocabulary that only one genre uses (cues with `genres` / `not_genres`).
- **Status**: see `docs/notes/themes.md`; the issue's bar on the corpora is judged on the fresh-5 test set.
"""

COMPLEMENT_NOTE = """\
`analysis/themes/complement.py`: logistic regression on character 2-3-grams (TF-IDF), one binary model per theme
(adds a theme the dictionaries did not give, when P >= 0.7) and one over instrument types (decides only where the
dictionary rule is silent or tied); every added code carries its top n-grams as evidence. Trained at run time
from the seeds' gold and the whole development gold (old + fresh-1 ... fresh-4: 1315 sentences), never from the
fresh-5 test set; nothing trained is stored. The seeds and development rows are cross-validated by document (a
document's sentences are coded by a model trained without that document); the fresh-5 sentences come from
development reports, so they too are coded by the model trained without their report. It is switched on in the
build only if it wins on the fresh-5 test set. The "(recorded)" rows are fresh-2 as scored once at the end of
round 5 (`eval/themes_fresh2_round5.json`, complement trained on 790 sentences), fresh-3 at the end of round 6
(`eval/themes_fresh3_round6.json`, trained on 970) and fresh-4 at the end of round 7
(`eval/themes_fresh4_round7.json`, trained on 1126)."""

HISTORY_NOTE = """\
The "(recorded)" rows are the earlier untouched test sets as scored once by the lead's `--final` runs, copied from
those runs' docs and not recomputed: fresh-1 at the end of round 4 (`eval/themes_fresh1_round4.json`, the round-4
coder), fresh-2 at the end of round 5 (`eval/themes_fresh2_round5.json`), fresh-3 at the end of round 6
(`eval/themes_fresh3_round6.json`) and fresh-4 at the end of round 7 (`eval/themes_fresh4_round7.json`), each with
the first version re-run on it. From the round after its test each set is development data (its disagreements
were read), so its current rows are in-sample."""
