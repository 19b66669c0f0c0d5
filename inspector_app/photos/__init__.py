"""Photo evidence store: content-addressed originals, defensive decoding, EXIF, thumbnails
and report renditions. Qt-free; batch import uses worker processes."""

from .batch import default_workers, ingest_many
from .names import readable_name, readable_path
from .store import IngestedPhoto, PhotoStore, sha256_file, write_atomic

__all__ = ["IngestedPhoto", "PhotoStore", "default_workers", "ingest_many", "readable_name", "readable_path",
           "sha256_file", "write_atomic"]
