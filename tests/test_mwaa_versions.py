"""The one table of Airflow versions agrees with what MWAA's API accepts and with MWAA's image data."""

import json
import re

import botocore.session

from airflow_aws.mwaa_requirements.versions import IMAGES, VERSIONS
from airflow_aws.settings import AIRFLOW_VERSIONS


def api_model_versions() -> list[str]:
    """CreateEnvironment's AirflowVersion valid values, as botocore's MWAA model documents them."""
    model = botocore.session.get_session().get_service_model("mwaa")
    documentation = model.operation_model("CreateEnvironment").input_shape.members["AirflowVersion"].documentation
    return re.findall(r"<code>([0-9.]+)</code>", documentation.split("Valid values")[1])


def test_the_table_lists_exactly_the_versions_mwaa_accepts():
    assert [v.airflow for v in VERSIONS] == api_model_versions()


def test_the_settings_accept_the_tables_versions():
    assert AIRFLOW_VERSIONS == tuple(v.airflow for v in VERSIONS)


def test_each_versions_python_is_the_one_in_mwaas_image():
    with_data = [v for v in VERSIONS if v.has_image_data]
    assert len(with_data) == 5
    for version in with_data:
        image_python = (version.image_folder / "python_version.txt").read_text().strip()
        assert image_python.rsplit(".", 1)[0] == version.python, version.airflow
        header = (version.image_folder / "airflow_constraints.txt").read_text()[:400]
        assert version.constraints_url in header, version.airflow
        installed = json.loads((version.image_folder / "installed_packages.json").read_text())
        assert installed["apache-airflow"]["version"] == version.airflow


def test_image_data_is_kept_only_for_accepted_versions():
    folders = {p.name for p in IMAGES.iterdir() if p.is_dir()}
    assert folders <= set(AIRFLOW_VERSIONS)
    assert (IMAGES / "LICENSE-amazon-mwaa-docker-images").is_file()
