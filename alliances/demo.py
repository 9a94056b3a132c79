"""Demo data of the alliances (filled in by ``seed``, run from portal's seed_demo registry)."""


def seed(context: dict) -> dict:
    return {"summary": []}
