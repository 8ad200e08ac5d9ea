from services.identity.adapters.tables import metadata
from shared.migrate import run_env

run_env(target_metadata=metadata)
