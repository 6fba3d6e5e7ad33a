"""Image and dropped-file checks (kfguide.checks.images, kfguide.checks.files)."""

from __future__ import annotations

import sys
import types
import unicodedata

from checks_fixtures import expected_findings, fixture_docs, triples
from kfguide.checks import run_checks
from kfguide.checks.files import check_files
from kfguide.checks.images import check_image_files, check_images
from kfguide.model.findings import WARNING
from kfguide.model.site import SiteConfig, classify, load_site, site_from_sources
from kfguide.report.runner import generated_files

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>\n'


def test_bad_fixture_trips_every_image_and_file_check():
    docs = fixture_docs("bad")
    site = load_site(docs)
    found = triples(check_images(site) + check_files(site))
    expected = {t for t in expected_findings(docs) if t[2].startswith(("image-", "file-"))}
    assert found == expected


def test_warnings_are_warnings():
    site = load_site(fixture_docs("bad"))
    severities = {f.check: f.severity for f in check_images(site) + check_files(site)}
    assert severities["image-unused"] == severities["image-not-image"] == WARNING
    assert severities["image-missing"] == severities["file-dropped"] == "error"


def test_good_fixture_images_give_no_finding():
    site = load_site(fixture_docs("good"))
    assert [f.format() for f in check_images(site) + check_files(site)] == []


def _site(pages, other, **cfg):
    return site_from_sources(pages, other, SiteConfig(**cfg))


def test_too_large_and_wrong_type():
    site = _site({"a.md": "# A\n\n![큰 그림](big.png)\n![사진](photo.png)\n![도형](shape.svg)\n"},
                 {"big.png": 400 * 1024, "photo.png": JPEG, "shape.svg": SVG})
    site.files["big.png"].head = PNG
    findings = {(f.path, f.check): f for f in check_images(site)}
    assert set(findings) == {("big.png", "image-too-large"), ("photo.png", "image-not-image")}
    assert "400 KB" in findings[("big.png", "image-too-large")].message
    assert "jpeg" in findings[("photo.png", "image-not-image")].message


def test_budget_is_configurable():
    site = _site({"a.md": "# A\n\n![그림](a.png)\n"}, {"a.png": PNG}, image_budget=10)
    assert [f.check for f in check_image_files(site)] == ["image-too-large"]


def test_nfd_image_name_is_flagged():
    nfd = unicodedata.normalize("NFD", "images/대시보드.png")
    site = _site({"a.md": "# A\n\n![대시보드](images/대시보드.png)\n"}, {nfd: PNG})
    (finding,) = [f for f in check_images(site) if f.path == "a.md"]
    assert (finding.line, finding.check) == (3, "image-normalization") and nfd in finding.message


def test_localized_image_is_used_by_the_english_page():
    site = _site({"a.md": "# A\n\n![화면](images/shot.png)\n", "a.en.md": "# A\n\n![Screen](images/shot.png)\n"},
                 {"images/shot.png": PNG, "images/shot.en.png": PNG})
    assert check_images(site) == []
    site = _site({"a.md": "# A\n\n![화면](images/shot.png)\n"}, {"images/shot.png": PNG, "images/shot.en.png": PNG})
    assert check_images(site) == []  # the Korean page falls back into the en build, where shot.en.png is used


def test_unused_image_and_linked_full_size_image():
    site = _site({"a.md": "# A\n\n[![작게](small.png)](full.png)\n"},
                 {"small.png": PNG, "full.png": PNG, "orphan.png": PNG, "assets/logo.png": PNG})
    assert [(f.path, f.check) for f in check_images(site)] == [("orphan.png", "image-unused")]


def test_raw_html_image_on_index_page_and_in_the_english_build():
    site = _site({"index.md": '# 홈\n\n<img src="images/a.png" alt="그림">\n'}, {"images/a.png": PNG})
    (finding,) = check_images(site)
    assert finding.check == "image-dirurl-raw-html" and "/en/images/a.png" in finding.message
    site = _site({"index.md": '# 홈\n\n<img src="images/a.png" alt="그림">\n'},
                 {"images/a.png": PNG, "images/a.en.png": PNG})
    assert check_images(site) == []


def test_dropped_files_follow_static_i18n_rules():
    cfg = SiteConfig()
    assert classify("install.sh.md", cfg) == ("install.md", None, "sh")
    assert classify("images/arch.ts.png", cfg) == ("images/arch.png", None, "ts")
    assert classify("page.en.md", cfg) == ("page.md", "en", None)
    assert classify("release-v1.6.md", cfg) == ("release-v1.6.md", None, None)
    assert classify("jquery.min.js", cfg) == ("jquery.min.js", None, None)
    assert classify("zh_TW.x.pt_BR.md", cfg)[2] == "pt_BR"
    assert classify("install.sh.md", SiteConfig(i18n=False)) == ("install.sh.md", None, None)


def test_figures_module_registers_generated_files(monkeypatch):
    fake = types.ModuleType("kfguide.builders.figures")
    fake.GENERATED = {"images/kfui-terminal.svg": "generated"}
    monkeypatch.setitem(sys.modules, "kfguide.builders.figures", fake)
    assert generated_files() == {"images/kfui-terminal.svg"}
    site = site_from_sources({"a.md": "# A\n\n![터미널](images/kfui-terminal.svg)\n"}, extra_files=generated_files())
    assert run_checks(site) == []


def test_images_named_in_css_or_mkdocs_yml_are_used(tmp_path):
    docs = tmp_path / "docs"
    (docs / "images").mkdir(parents=True)
    (docs / "assets").mkdir()
    (docs / "index.md").write_text("# 홈\n", "utf-8")
    for name in ("logo.svg", "pattern.png", "orphan.png"):
        (docs / "images" / name).write_bytes(PNG if name.endswith(".png") else SVG)
    (docs / "assets" / "extra.css").write_text(".x { background: url(../images/pattern.png); }\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text("theme:\n  logo: images/logo.svg\n", "utf-8")
    site = load_site(docs)
    assert site.root == tmp_path
    assert [(f.path, f.check) for f in check_images(site)] == [("images/orphan.png", "image-unused")]
