import pytest
import yaml

from training.config import ConfigError, load_config
from tests.conftest import ROOT, tiny_config


def write(tmp_path, data):
    p = tmp_path / "c.yaml"
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    return p


def base(tmp_path):
    return yaml.safe_load(tiny_config(tmp_path).read_text(encoding="utf-8"))


def test_shipped_configs_validate():
    for name in ("tiny", "phobert-base", "phobert-base-v2", "phobert-large"):  # tiny-extended needs ../shared
        cfg = load_config(ROOT / "configs" / f"{name}.yaml")
        assert cfg.data.labels == ["PER", "TITLE", "ORG", "DOC"]
    assert load_config(ROOT / "configs" / "phobert-base.yaml").model.name_or_path == "vinai/phobert-base"


def test_unknown_key_is_named(tmp_path):
    data = base(tmp_path)
    data["training"]["learning_rat"] = 1e-3
    with pytest.raises(ConfigError, match="unknown key training.learning_rat"):
        load_config(write(tmp_path, data))


def test_wrong_type_is_named(tmp_path):
    data = base(tmp_path)
    data["training"]["batch_size"] = "thirty-two"
    with pytest.raises(ConfigError, match="training.batch_size: expected int"):
        load_config(write(tmp_path, data))


def test_missing_file_is_named(tmp_path):
    data = base(tmp_path)
    data["data"]["dev"] = "no/such/dev.jsonl"
    with pytest.raises(ConfigError, match="data.dev: file not found: no/such/dev.jsonl"):
        load_config(write(tmp_path, data))


def test_missing_required_key(tmp_path):
    data = base(tmp_path)
    del data["data"]["labels"]
    with pytest.raises(ConfigError, match="missing required key data.labels"):
        load_config(write(tmp_path, data))


def test_overrides_are_validated_too(tmp_path):
    cfg = load_config(tiny_config(tmp_path), ["training.learning_rate=3e-5", "preprocessing.doc_rules=union"])
    assert cfg.training.learning_rate == 3e-5 and cfg.preprocessing.doc_rules == "union"
    with pytest.raises(ConfigError, match="preprocessing.doc_rules"):
        load_config(tiny_config(tmp_path), ["preprocessing.doc_rules=always"])


def test_exactly_one_model_source(tmp_path):
    data = base(tmp_path)
    data["model"]["name_or_path"] = "vinai/phobert-base"
    with pytest.raises(ConfigError, match="exactly one of"):
        load_config(write(tmp_path, data))


def test_unset_environment_variable_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv("POLNER_TEST_DIR", raising=False)
    data = base(tmp_path)
    data["data"]["train"] = "${POLNER_TEST_DIR}/train.jsonl"
    with pytest.raises(ConfigError, match=r"POLNER_TEST_DIR\}, which is not set"):
        load_config(write(tmp_path, data))


def test_data_format_is_any_readable_format_of_the_registry(tmp_path):
    from inference import formats

    for name in ("auto", *formats.READABLE):
        data = base(tmp_path)
        data["data"]["format"] = name
        assert load_config(write(tmp_path, data)).data.format == name
    data = base(tmp_path)
    data["data"]["format"] = "html"  # written by polner-tag, never read
    with pytest.raises(ConfigError, match="data.format: expected auto or one of jsonl, .*label-studio, got 'html'"):
        load_config(write(tmp_path, data))
