"""Folders on the deploying machine that components read (MWAA's source folder, Fargate's DAG folder).

In a Python program they resolve against the program's working directory, its project folder. A program in
another language runs the components inside the package's provider process (provider/__main__.py), whose working
directory is the plugin's folder: a relative path there would silently name the wrong folder, so it is refused.
"""

from pathlib import Path

from pulumi.provider.experimental import host

# How a program in another language names a folder of its own.
ABSOLUTE_FOLDER_EXAMPLES = '${pulumi.cwd}/airflow in YAML or path.join(__dirname, "airflow") in TypeScript'


def unseen_by_provider(path: str) -> bool:
    """A relative path inside the provider: it would name a folder of the plugin, not of the program."""
    return host.is_hosting and not Path(path).is_absolute()


def local_folder(path: str, component: str, argument: str) -> Path:
    if unseen_by_provider(path):
        raise ValueError(f"{component}: {argument} {path!r} is relative, and the provider running this component for "
                         "a program in another language cannot see that program's folder; give an absolute path "
                         f"(for example {ABSOLUTE_FOLDER_EXAMPLES})")
    return Path(path)
