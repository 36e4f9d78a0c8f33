"""What a build is made of: its tables, its per-document stages, and the options its results depend on."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .. import config

TABLES = ("docs", "units", "sections", "dropped", "tokens", "themes", "instruments", "metrics")
#: stage -> the tables it stores, in write order (the last one written marks the stage complete)
STAGES = {"parse": ("docs", "units", "sections", "dropped"), "tokens": ("tokens",), "themes": ("themes", "instruments"),
          "metrics": ("metrics",)}
TABLE_STAGE = {t: s for s, ts in STAGES.items() for t in ts}
#: the analysis modules each stage runs (their imports inside the package are followed for the code hash)
STAGE_MODULES = {"parse": ("corpus.load",), "tokens": ("segment",), "themes": ("themes.coding",),
                 "metrics": ("metrics.extract",)}
Executor = Literal["local", "dask"]
EXECUTORS = ("local", "dask")
#: bumped when the layout of the store or of the output tables changes
BUILD_FORMAT = 4
#: resource option -> the bundled file it replaces
RESOURCE_FILES = {"lexicon": "policy_lexicon.txt", "aliases": "aliases.csv", "stopwords": "stopwords.txt",
                  "formulaic": "formulaic.txt", "taxonomy": "themes.yaml", "scheme": "instruments.yaml",
                  "indicators": "indicators.yaml", "gazetteer": "admin_divisions.csv",
                  "chrome": "site_chrome.txt"}


@dataclass(frozen=True)
class Options:
    """What the per-document work depends on besides the file: resources and the segmenter."""

    segmenter: str = "jieba"
    hmm: bool = True
    lexicon: str | None = None
    aliases: str | None = None
    stopwords: str | None = None
    formulaic: str | None = None
    taxonomy: str | None = None
    scheme: str | None = None
    indicators: str | None = None
    gazetteer: str | None = None
    chrome: str | None = None


def resource_file(opts: Options, name: str) -> str:
    """The file a resource option names: the user's, else the bundled one."""
    return getattr(opts, name) or str(config.resource_path(RESOURCE_FILES[name]))
