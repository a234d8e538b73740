"""Folders on the deploying machine that components read (MWAA's source folder, Fargate's DAG folder).

In a Python program they resolve against the program's working directory, its project folder. A program in
another language runs the components inside the package's provider process (provider/__main__.py), whose working
directory is the plugin's folder: a relative path there would silently name the wrong folder, so it is refused.
"""

from pathlib import Path

from pulumi.provider.experimental import host


def local_folder(path: str, component: str, argument: str) -> Path:
    if host.is_hosting and not Path(path).is_absolute():
        raise ValueError(f"{component}: {argument} {path!r} is relative, and the provider running this component for "
                         "a program in another language cannot see that program's folder; give an absolute path "
                         "(for example path.join(__dirname, \"airflow\") in TypeScript)")
    return Path(path)
