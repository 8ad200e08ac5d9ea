from shared.migrate import run_env
from shared.tables import kit_metadata
from tests.integration.kit.probe import probe_metadata

run_env(target_metadata=kit_metadata)
_ = probe_metadata
