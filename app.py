"""The WSGI application (`gunicorn app:app`) and the CLI's app (`flask --app app ...`)."""
import gc

from tracker import create_app

app = create_app()

# Everything built so far (modules, the app, its configuration) lives as long as the process. Left to
# the cyclic garbage collector, its full passes walk all of it and stall a request for ~90 ms every few
# dozen requests; frozen, they skip it (p95 of the commitments list: 104 ms -> 20 ms). Under gunicorn
# --preload this also keeps the pages shared between workers untouched.
gc.freeze()
