"""AirflowPlatform's args (platform_args.py) turned into validated Settings, exactly as a stack's configuration is.

The args are the settings in snake_case; they go back to the settings' camelCase keys, into the engine's form of
a stack's configuration (`airflow-aws:<key>` -> JSON text) next to the running program's `aws:` keys (inside the
provider, the engine forwards the consumer stack's), and through `settings.parse`: every check and every error
message (`airflow-aws:mwaa.minWorkers ...`) is the stack program's.
"""

import typing
from pathlib import Path
from typing import Any, Mapping, Optional

import pulumi
from pulumi.provider.experimental import host
from pydantic.alias_generators import to_camel, to_snake
from pydantic.fields import FieldInfo

from .local_paths import ABSOLUTE_FOLDER_EXAMPLES, unseen_by_provider
from .settings import (PROJECT, FargateSettings, InvalidSettings, MwaaSettings, SettingError, Settings, SettingsModel,
                       StackSettings, all_config, engine_config, parse)


def settings_from_args(args: Mapping[str, Any]) -> Settings:
    """The settings the args describe; raises InvalidSettings listing every problem, as a stack would."""
    stack = pulumi.get_stack()
    values = config_values(args, StackSettings)
    config = {key: text for key, text in all_config().items() if key.startswith("aws:")}
    config.update(engine_config({f"{PROJECT}:{key}": value for key, value in values.items()}))
    return parse(stack, config, hosted_project_root(stack, values) if host.is_hosting else None)


def config_values(args: Mapping[str, Any], model: type[SettingsModel], path: str = "") -> dict[str, Any]:
    """The args of one settings group with the settings' keys; the keys of the user's own mappings (tags, Airflow
    options, task sizes by process) stay as given. Keys the group does not know are passed on camelCased, for the
    settings to refuse with a suggestion."""
    values: dict[str, Any] = {}
    for name, value in args.items():
        field = model.model_fields.get(name)
        key = field.alias or name if field else to_camel(name)
        values[key] = _value(value, field, f"{path}{key}")
    return values


def _value(value: Any, field: Optional[FieldInfo], path: str) -> Any:
    if isinstance(value, pulumi.Output):
        raise InvalidSettings(pulumi.get_stack(), [SettingError(
            f"{PROJECT}:{path}", "an output of another resource", "is not a plain value, and the settings are checked "
            "before anything is created", "give a plain value (a literal, config, or a value known before deployment)")])
    annotation = field.annotation if field else None
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, SettingsModel):
            return _nested(value, candidate, typing.get_origin(annotation), path)
    # The engine sends every number as a float; the settings are strict (`maxWorkers: 10.5` is refused, 10.0 is 10).
    if annotation is int and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _nested(value: Any, model: type[SettingsModel], container: Any, path: str) -> Any:
    """A group, a list of groups (egress rules) or a mapping of groups by the user's keys (task sizes)."""
    if container is list and isinstance(value, (list, tuple)):
        return [_group(item, model, f"{path}[{index}].") for index, item in enumerate(value)]
    if container is dict and isinstance(value, Mapping):
        return {key: _group(item, model, f"{path}.{key}.") for key, item in value.items()}
    return _group(value, model, f"{path}.")


def _group(value: Any, model: type[SettingsModel], path: str) -> Any:
    # Anything but a mapping is left for the settings to refuse with their own words.
    return config_values(value, model, path) if isinstance(value, Mapping) else value


def hosted_project_root(stack: str, values: Mapping[str, Any]) -> Optional[Path]:
    """Inside the provider, the folder the platform uploads from must be absolute: the provider process cannot see
    the program's folder. The settings then check it as a folder of its parent (None: no folder is read)."""
    fargate = values.get("platform") == "fargate"
    group, key = ("fargate", "dagsFolder") if fargate else ("mwaa", "sourceFolder")
    settings = values.get(group)
    settings = settings if isinstance(settings, Mapping) else {}
    # Fargate reads its DAG folder only to upload it; MWAA always reads requirements.txt, plugins.zip, startup.sh.
    if fargate and settings.get("uploadDags") is False:
        return None
    group_model = FargateSettings if fargate else MwaaSettings
    folder = settings.get(key, group_model.model_fields[to_snake(key)].default)
    if not isinstance(folder, str) or unseen_by_provider(folder):
        raise InvalidSettings(stack, [SettingError(
            f"{PROJECT}:{group}.{key}", folder, "is not an absolute path, and the provider running AirflowPlatform for a "
            "program in another language cannot see that program's folder",
            f"give an absolute path, e.g. {ABSOLUTE_FOLDER_EXAMPLES}")])
    return Path(folder).parent

