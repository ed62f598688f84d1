"""Operations: the worker's and the sink's /healthz and /metrics, `kokemusvirta status`, and
the one log format (logs.py) every process uses."""
