import pytest

from toolkit.rendering import render_markdown


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert('x')</script>",
        "Hello <img src=x onerror=alert(1)>",
        "[click me](javascript:alert(1))",
        "[click me](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">link</a>',
        '<p onclick="alert(1)">hi</p>',
        "<iframe src='https://evil.example'></iframe>",
        "<svg onload=alert(1)>",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        "<style>body{display:none}</style>",
    ],
)
def test_markdown_attacks_come_out_inert(attack):
    html = str(render_markdown(attack)).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "onload" not in html
    assert "<iframe" not in html
    assert "<style" not in html
    assert "data:text" not in html


def test_markdown_renders_formatting_lists_and_safe_links():
    html = str(render_markdown("# Heading\n\n**bold** and [a link](https://example.org)\n\n- one"))
    assert "<h2>Heading</h2>" in html  # moved down a level below the page's own h1
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert "<li>one</li>" in html


def test_script_text_is_removed_not_shown():
    assert "alert" not in str(render_markdown("<script>alert('x')</script>Hello"))


def test_body_headings_start_at_h2_whatever_level_was_typed():
    assert "<h2>Start</h2>" in str(render_markdown("### Start\n\n#### Then"))
    assert "<h3>Then</h3>" in str(render_markdown("### Start\n\n#### Then"))
