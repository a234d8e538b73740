"""The one table of Airflow versions this project accepts on MWAA, with the CPython MWAA runs each on.

To add a version: add a row here (the Python is the image's `PYTHON_VERSION`, major.minor), copy its four files
into mwaa_images/<version>/ as mwaa_images/README.md describes, and run tests/test_mwaa_versions.py, which
checks the table against botocore's MWAA model (CreateEnvironment's valid AirflowVersion values) and the data.
"""

from dataclasses import dataclass
from pathlib import Path

IMAGES = Path(__file__).parent / "mwaa_images"
# Where Apache Airflow publishes the constraints file of each release for each Python.
CONSTRAINTS_URL = "https://raw.githubusercontent.com/apache/airflow/constraints-{airflow}/constraints-{python}.txt"


@dataclass(frozen=True)
class AirflowVersion:
    """One Airflow version MWAA offers."""

    airflow: str
    """The version as MWAA's API spells it, e.g. 2.10.3."""
    python: str
    """Major.minor of the CPython in MWAA's image, e.g. 3.11: the interpreter wheels must be built for."""

    @property
    def image_folder(self) -> Path:
        """mwaa_images/<airflow>: the image's constraints, essential pins and packages (absent for old versions)."""
        return IMAGES / self.airflow

    @property
    def has_image_data(self) -> bool:
        return self.image_folder.is_dir()

    @property
    def constraints_url(self) -> str:
        return CONSTRAINTS_URL.format(airflow=self.airflow, python=self.python)


# 2.7.2 and 2.8.1 are older than MWAA's image repository: their Python comes from the MWAA user guide's
# "Apache Airflow versions" page; every other row is checked against mwaa_images/<version>/python_version.txt.
VERSIONS = (
    AirflowVersion("2.7.2", "3.11"),
    AirflowVersion("2.8.1", "3.11"),
    AirflowVersion("2.9.2", "3.11"),
    AirflowVersion("2.10.1", "3.11"),
    AirflowVersion("2.10.3", "3.11"),
    AirflowVersion("2.11.0", "3.12"),
    AirflowVersion("3.0.6", "3.12"),
)
AIRFLOW_VERSIONS = tuple(v.airflow for v in VERSIONS)


def airflow_version(airflow: str) -> AirflowVersion:
    """The table's row for a version the settings accepted."""
    return next(v for v in VERSIONS if v.airflow == airflow)
