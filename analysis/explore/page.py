"""Self-contained HTML pages: the Vega/Vega-Lite/Vega-Embed bundle inline, a CJK font stack, no network fetches.

The same page serves both uses: written to a file it opens offline in any browser; shown in a notebook it is the
``srcdoc`` of an iframe (so JupyterLab, VS Code and nbconvert's HTML all render it without a CDN).
"""
from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

from ..errors import ParameterError

#: Fonts tried in order for Chinese text, on every common system; the page never downloads a font.
CJK_FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
             '"WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans SC", SimHei, sans-serif')
#: Attributes that would make the browser fetch something from the network.
_FETCH = re.compile(r"""<(?:script|link|img|iframe|source|embed|object|audio|video)\b[^>]*?\b(?:src|href|data)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""",
                    re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])\s*((?:https?:)?//[^"')\s]+)""", re.IGNORECASE)

_STYLE = """
  body { font-family: %(fonts)s; margin: 16px 24px; color: #222; }
  h1 { font-size: 20px; margin: 0 0 4px 0; }
  .notes { font-size: 13px; color: #444; max-width: 1200px; margin: 0 0 10px 0; }
  .notes li { margin: 2px 0; }
  #vis.vega-embed { display: flex; flex-direction: column; }
  #vis .vega-bindings { order: -1; margin: 4px 0 10px 0; font-size: 14px; }
  #vis .vega-bind { display: inline-block; margin-right: 18px; }
  .vega-bindings input[type=search] { font-size: 15px; width: 18em; padding: 3px 6px; font-family: inherit; }
  .vega-bindings select { font-size: 14px; font-family: inherit; }
  #vis svg text { font-family: %(fonts)s; }
"""

_SCRIPT = """
  window.explorerReady = false;
  vegaEmbed('#vis', %(spec)s, %(options)s).then(function (result) {
    window.explorerView = result.view;
    return result.view.runAsync();
  }).then(function () {
    window.explorerReadyAt = performance.now();  // milliseconds since navigation started
    window.explorerReady = true;
    document.body.setAttribute('data-ready', 'true');
  }).catch(function (error) {
    document.body.setAttribute('data-error', String(error));
    console.error(error);
  });
"""


@lru_cache(maxsize=2)
def vega_bundle(vl_version: str | None = None) -> str:
    """The Vega, Vega-Lite and Vega-Embed JavaScript (vl-convert's offline bundle) for an inline ``<script>``.

    vl-convert assembles the bundle at every call (about 1 s of CPU, in every kernel that shows an explorer), so it
    is kept in the cache folder, keyed by the vl-convert and Vega-Lite versions; a cached file that is not such a
    bundle is made again, and a cache that cannot be written only costs the time."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    from .. import config
    from ..files import atomic_write

    vl = vl_version or vl_version_for_vl_convert()
    path = config.cache_dir() / "vega" / f"bundle-vlconvert{vl_convert.__version__}-vl{vl}.js"
    try:
        text = path.read_text(encoding="utf-8")
        if _is_bundle(text):
            return text
    except (OSError, UnicodeDecodeError):
        pass
    text = vl_convert.javascript_bundle(vl_version=vl)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text)
    except OSError:
        pass
    return text


def _is_bundle(text: str) -> bool:
    """A whole vl-convert bundle (not a truncated or foreign file): large, defines vegaEmbed, ends its code."""
    return len(text) > 100_000 and "vegaEmbed" in text and text.rstrip().endswith((";", "}", ")"))


def page_html(spec: dict, *, title: str, notes: list[str] = (), renderer: str = "svg") -> str:
    """A complete HTML page showing a Vega-Lite ``spec``, with its title and notes, that fetches nothing.

    Parameters
    ----------
    spec
        A Vega-Lite specification (``chart.to_dict()``).
    title
        The page heading (and ``<title>``).
    notes
        Short paragraphs shown under the title: what is plotted, what was sampled or left out.
    renderer
        ``"svg"`` (every mark a DOM element: accessible, clickable by tests) or ``"canvas"``.
    """
    if renderer not in ("svg", "canvas"):
        raise ParameterError("renderer", renderer, ("svg", "canvas"))
    options = {"renderer": renderer, "actions": False, "tooltip": {"theme": "light"}}
    # "</" inside a JSON string would end the script element early
    spec_json = json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    bundle = vega_bundle().replace("</script", "<\\/script")
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{_STYLE % {'fonts': CJK_FONTS}}</style>\n"
        f"<script>\n{bundle}\n</script>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n<ul class=\"notes\">{items}</ul>\n<div id=\"vis\"></div>\n"
        f"<script>{_SCRIPT % {'spec': spec_json, 'options': json.dumps(options)}}</script>\n</body>\n</html>\n"
    )


def network_urls(page: str) -> list[str]:
    """Network addresses a page would fetch (script/link/img ``src``/``href``, CSS ``url()``/``@import``).

    URLs that only appear inside JavaScript strings (schema ids, error messages) are not fetched and not listed.
    """
    return sorted(set(_FETCH.findall(page)) | set(_CSS_URL.findall(page)))


def iframe_html(page: str, *, height: int = 900) -> str:
    """The page as an iframe's ``srcdoc``: how a notebook shows it without a CDN."""
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;border:0" '
            'sandbox="allow-scripts"></iframe>')


def write_page(page: str, path: str | Path) -> Path:
    """Write a page (UTF-8); return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
