NAME = "pkg_demo"
from .shapes import area
