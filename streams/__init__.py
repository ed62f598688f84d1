"""Stream processing: pure decision logic (validate, redact, classify, route) and thin
Faust agents."""
