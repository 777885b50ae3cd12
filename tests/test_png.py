"""course._display.png: frames written with zlib decode, with Pillow, to exactly the pixels given."""
import zlib
from io import BytesIO

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from course._display.png import encode_rgba


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40), st.integers(0, 2**32 - 1), st.sampled_from([0, 1, 6, 9]))
def test_pillow_decodes_exactly_the_pixels(height, width, seed, level):
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(height, width, 4), dtype=np.uint8)
    pixels[rng.random((height, width)) < 0.5] = 0          # diff frames are half zeros or more
    image = Image.open(BytesIO(encode_rgba(pixels, level)))
    assert image.mode == "RGBA" and image.size == (width, height)
    assert (np.asarray(image) == pixels).all()


def _idat(png_bytes):
    """The IDAT data of a PNG with a single IDAT chunk (what encode_rgba writes)."""
    at = png_bytes.index(b"IDAT")
    length = int.from_bytes(png_bytes[at - 4:at], "big")
    return png_bytes[at + 4:at + 4 + length]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 300), st.integers(1, 12), st.integers(0, 2**32 - 1),
       st.sampled_from([0.0, 0.3, 0.9, 1.0]), st.sampled_from([0, 1, 9]))
def test_frames_with_rows_of_zeros_decode_exactly(height, width, seed, zero_rows, level):
    """Zero rows come from cached deflate pieces: runs of every length, at the top, in the middle
    and at the bottom, still decode to the pixels, and zlib's own checksum test passes."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(1, 256, size=(height, width, 4), dtype=np.uint8)
    pixels[rng.random(height) < zero_rows] = 0
    encoded = encode_rgba(pixels, level)
    assert (np.asarray(Image.open(BytesIO(encoded))) == pixels).all()
    rows = np.zeros((height, 1 + 4 * width), np.uint8)
    rows[:, 1:] = pixels.reshape(height, -1)
    assert zlib.decompress(_idat(encoded)) == rows.tobytes()    # raises on a wrong Adler-32


def test_a_mostly_empty_frame_is_small():
    pixels = np.zeros((400, 960, 4), np.uint8)
    pixels[200:204, 100:110] = 255
    assert len(encode_rgba(pixels)) < 0.01 * pixels.size     # 1.5 MB of pixels


def test_a_view_that_is_not_contiguous_is_encoded_as_its_values():
    pixels = np.arange(6 * 8 * 4, dtype=np.uint8).reshape(6, 8, 4)[:, ::2]
    assert (np.asarray(Image.open(BytesIO(encode_rgba(pixels)))) == pixels).all()


@pytest.mark.parametrize("bad, name", [(np.zeros((4, 4, 3), np.uint8), "pixels"),
                                       (np.zeros((4, 4, 4), np.float64), "pixels")])
def test_bad_pixels_are_refused(bad, name):
    with pytest.raises(ValueError, match=name):
        encode_rgba(bad)


def test_bad_level_is_refused():
    with pytest.raises(ValueError, match="level"):
        encode_rgba(np.zeros((2, 2, 4), np.uint8), level=10)
