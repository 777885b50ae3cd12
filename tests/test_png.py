"""course.png: frames written with zlib decode, with Pillow, to exactly the pixels given."""
from io import BytesIO

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from course.png import encode_rgba


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40), st.integers(0, 2**32 - 1), st.sampled_from([0, 1, 6, 9]))
def test_pillow_decodes_exactly_the_pixels(height, width, seed, level):
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(height, width, 4), dtype=np.uint8)
    pixels[rng.random((height, width)) < 0.5] = 0          # diff frames are half zeros or more
    image = Image.open(BytesIO(encode_rgba(pixels, level)))
    assert image.mode == "RGBA" and image.size == (width, height)
    assert (np.asarray(image) == pixels).all()


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
