"""The intake service (issue 15): clients' and e-services' front door to the intake topic.

`app.create_app` builds the Starlette app, `gateway.IntakeGateway.submit` publishes as the
intake gateway; the rest is pure (reading, problems, rate limit, idempotency decisions).
"""
