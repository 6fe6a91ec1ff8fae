"""Session fixture: the tiny site of fixture_site.py, built once with real kernels."""
import pytest
from fixture_site import SITE, quiet, write_files

from render import build_site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """(project dir, BuildReport) of the fixture site."""
    root = write_files(tmp_path_factory.mktemp("site"), SITE)
    return root, build_site(root, log=quiet)
