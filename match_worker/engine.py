"""The face engine: find every face in a photo and describe each one as a 128-number encoding.

This is the single entry point other code uses (the CMS's job handlers, evaluation, benchmark)::

    engine = FaceEngine()                       # dlib HOG detector; FaceEngine("cnn") for mmod
    for face in engine.faces(photo_bytes):      # bytes or a path; EXIF orientation applied
        gallery.search(face.encoding, k=50)     # see match_worker.gallery

Two encodings of the same person are close in Euclidean distance (see match_worker.ranking for
the operating threshold and the plain words a distance is shown with). The models are dlib's,
shipped inside the ``face_recognition_models`` package; the pipeline is the one
``face_recognition`` runs (5-point landmarks, ResNet descriptor), but the models are loaded here
directly, once per process and only when first needed, because importing ``face_recognition``
loads all four models at once and turns on Pillow's ``LOAD_TRUNCATED_IMAGES`` for the whole
process, which would let damaged uploads through silently.

This module is plain Python: it must never import Django, touch a database or the network, or
download anything. It never stores photos or encodings; callers decide what is kept.

Exceptions::

    FaceEngineError          anything the engine refuses, with a reason a person can read
    ├── UnreadableImage      the input is not an image this engine can decode (match_worker.images)
    └── ModelFilesMissing    the face_recognition_models package is not installed
"""

from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from match_worker.images import (
    MAX_DETECTION_SIDE,
    MIN_DETECTION_SIDE,
    FaceEngineError,
    UnreadableImage,
    load_rgb,
    plan_detection_scale,
)

__all__ = [
    "ENCODING_SIZE",
    "Box",
    "Detector",
    "Face",
    "FaceEngine",
    "FaceEngineError",
    "ModelFilesMissing",
    "UnreadableImage",
    "face_distances",
    "model_directory",
]

#: Length of one face encoding (dlib's ResNet descriptor).
ENCODING_SIZE = 128

#: ``(top, right, bottom, left)`` in photo pixels — the order face_recognition uses.
Box = tuple[int, int, int, int]

Detector = Literal["hog", "cnn"]

_MODEL_FILES = {
    "landmarks": "shape_predictor_5_face_landmarks.dat",
    "descriptor": "dlib_face_recognition_resnet_model_v1.dat",
    "cnn": "mmod_human_face_detector.dat",
}


class ModelFilesMissing(FaceEngineError):
    """The model files are not where ``face_recognition_models`` installs them."""


@dataclass(frozen=True)
class Face:
    """One face found in a photo: where it is, and its encoding (float32, 128 numbers)."""

    box: Box
    encoding: np.ndarray = field(repr=False, compare=False)

    @property
    def area(self) -> int:
        top, right, bottom, left = self.box
        return max(bottom - top, 0) * max(right - left, 0)


def model_directory() -> Path:
    """Where dlib's model files are: ``HOMEWARD_FACE_MODELS`` or face_recognition_models' folder.

    The package is located without importing it (its ``__init__`` imports the deprecated
    ``pkg_resources`` just to compute these same paths).
    """
    override = os.environ.get("HOMEWARD_FACE_MODELS")
    if override:
        return Path(override)
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise ModelFilesMissing(
            "the face_recognition_models package is not installed (it ships dlib's face models)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class _Models:
    """dlib's models, loaded once per process and shared by every engine in it."""

    _lock = threading.Lock()
    _loaded: dict[str, Any] = {}

    @classmethod
    def get(cls, name: str) -> Any:
        with cls._lock:
            if name not in cls._loaded:
                cls._loaded[name] = cls._load(name)
            return cls._loaded[name]

    @staticmethod
    def _load(name: str) -> Any:
        import dlib  # a heavy native import, paid only when a model is needed

        if name == "hog":
            return dlib.get_frontal_face_detector()
        path = model_directory() / _MODEL_FILES[name]
        if not path.is_file():
            raise ModelFilesMissing(f"model file not found: {path}")
        loaders = {
            "landmarks": dlib.shape_predictor,
            "descriptor": dlib.face_recognition_model_v1,
            "cnn": dlib.cnn_face_detection_model_v1,
        }
        return loaders[name](str(path))


class FaceEngine:
    """Detects and encodes faces; one instance per configuration, cheap to create.

    ``detector``: ``"hog"`` (dlib's HOG + linear SVM, fast on a CPU, frontal faces) or ``"cnn"``
    (dlib's mmod CNN, finds turned and small faces too but is many times slower on a CPU).
    ``num_jitters``: how many slightly shifted copies of each face are encoded and averaged;
    more is a little more accurate and proportionally slower (1 = no jitter).
    ``upsample``: extra detector pyramid levels, each doubling the size of face it can see;
    defaults to 1 for HOG and 0 for the CNN (which is too slow on doubled photos).
    ``min_side``/``max_side``: photos are resized before detection so that their shortest side is
    at least ``min_side`` and their longest at most ``max_side``; boxes are reported in the
    original photo's pixels.
    """

    def __init__(
        self,
        detector: Detector = "hog",
        *,
        num_jitters: int = 1,
        upsample: int | None = None,
        min_side: int = MIN_DETECTION_SIDE,
        max_side: int = MAX_DETECTION_SIDE,
    ) -> None:
        if detector not in ("hog", "cnn"):
            raise ValueError(f"unknown face detector {detector!r}: use 'hog' or 'cnn'")
        if num_jitters < 1:
            raise ValueError("num_jitters must be at least 1")
        self.detector: Detector = detector
        self.num_jitters = num_jitters
        self.upsample = upsample if upsample is not None else (1 if detector == "hog" else 0)
        self.min_side = min_side
        self.max_side = max_side

    def __repr__(self) -> str:
        return (
            f"FaceEngine({self.detector!r}, num_jitters={self.num_jitters}, "
            f"upsample={self.upsample})"
        )

    def load_models(self) -> None:
        """Load this configuration's models now (worker start-up) rather than on first photo."""
        for name in (self.detector, "landmarks", "descriptor"):
            _Models.get(name)

    def faces(self, source: bytes | str | os.PathLike[str]) -> list[Face]:
        """Every face in a photo given as its bytes or its path, largest first.

        Raises :class:`UnreadableImage` when the input is not a readable image; a readable photo
        with no face in it gives an empty list.
        """
        return self.faces_in_pixels(load_rgb(source))

    def faces_in_pixels(self, rgb: np.ndarray) -> list[Face]:
        """Every face in an upright ``(height, width, 3)`` uint8 RGB array, largest first."""
        rgb = _checked_pixels(rgb)
        height, width = rgb.shape[:2]
        scale = plan_detection_scale(height, width, min_side=self.min_side, max_side=self.max_side)
        scaled = scale.resize(rgb)
        rects = self._detect(scaled)
        if not rects:
            return []
        # Encode on whichever copy has more pixels: the enlarged thumbnail gives the landmark
        # model more to work with; for a reduced large photo the original keeps the face's detail.
        encode_on_scaled = scale.factor >= 1.0
        image = scaled if encode_on_scaled else rgb
        # Boxes on the original are left unclipped: the landmark model accepts overhang.
        boxes = [_rect_box(rect) for rect in rects]
        encodings = self._encode(
            image, boxes if encode_on_scaled else [scale.to_photo(box) for box in boxes]
        )
        faces = [
            Face(box=scale.to_photo(box, rgb.shape), encoding=encoding)
            for box, encoding in zip(boxes, encodings, strict=True)
        ]
        return sorted(faces, key=lambda face: face.area, reverse=True)

    def detect(self, rgb: np.ndarray) -> list[Box]:
        """Face boxes in an RGB array, in its own pixels, without encoding them."""
        rgb = _checked_pixels(rgb)
        scale = plan_detection_scale(
            rgb.shape[0], rgb.shape[1], min_side=self.min_side, max_side=self.max_side
        )
        return [
            scale.to_photo(_rect_box(rect), rgb.shape) for rect in self._detect(scale.resize(rgb))
        ]

    def encode(self, rgb: np.ndarray, boxes: list[Box]) -> list[np.ndarray]:
        """Encodings of faces at known boxes (e.g. boxes an investigator drew by hand)."""
        return self._encode(_checked_pixels(rgb), list(boxes))

    def _detect(self, rgb: np.ndarray) -> list[Any]:
        """dlib rectangles of the faces in ``rgb``."""
        model = _Models.get(self.detector)
        if self.detector == "cnn":
            return [detection.rect for detection in model(rgb, self.upsample)]
        return list(model(rgb, self.upsample))

    def _encode(self, rgb: np.ndarray, boxes: list[Box]) -> list[np.ndarray]:
        if not boxes:
            return []
        import dlib  # already loaded by _Models; imported here for its types

        landmarks = _Models.get("landmarks")
        descriptor = _Models.get("descriptor")
        shapes = dlib.full_object_detections()
        for top, right, bottom, left in boxes:
            shapes.append(landmarks(rgb, dlib.rectangle(left, top, right, bottom)))
        vectors = descriptor.compute_face_descriptor(rgb, shapes, self.num_jitters)
        return [np.asarray(vector, dtype=np.float32) for vector in vectors]


def _checked_pixels(rgb: np.ndarray) -> np.ndarray:
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(
            f"expected a (height, width, 3) uint8 RGB array, got {rgb.dtype} {rgb.shape}; "
            "use match_worker.images.load_rgb to decode a photo"
        )
    return np.ascontiguousarray(rgb)


def _rect_box(rect: Any) -> Box:
    return int(rect.top()), int(rect.right()), int(rect.bottom()), int(rect.left())


def face_distances(encodings: np.ndarray, encoding: np.ndarray) -> np.ndarray:
    """Euclidean distance from one encoding to each row of ``encodings`` (float64 for accuracy)."""
    known = np.asarray(encodings, dtype=np.float64).reshape(-1, ENCODING_SIZE)
    return np.linalg.norm(known - np.asarray(encoding, dtype=np.float64), axis=1)
