"""The center (交易中心) and the room hub: one HTTP service (FastAPI) over SQL metadata and a blob store.

``protocol`` (request signing, receipts, BagIt checks) has no web dependency, so the sync client uses it too.
"""
