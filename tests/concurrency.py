"""Races for the concurrency tests: callables run in threads released at the same moment,
each on its own database connection (closed when it is done)."""

import threading

from django.db import connection


def race(*calls) -> list:
    """Run the calls in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the test inspects what each thread got
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def together(*calls) -> None:
    """Run the calls as a race that none may lose: fail on any exception."""
    errors = [result for result in race(*calls) if isinstance(result, Exception)]
    assert not errors, errors
