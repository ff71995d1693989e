# Events by name.
reduce inputs as $e ({}; .[$e.event] += 1)
