"""Serving from several processes, each with its own listening socket on one port.

Server processes that share one socket take connections in a race: a burst of clients can
land on one process while another sits idle, and their requests then queue on one core.
With a socket each, bound with SO_REUSEPORT, the kernel spreads new connections over the
processes evenly, whichever of them is awake.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
from typing import Any

__all__ = ["serve_processes"]

_BACKLOG = 2048  # connections the kernel queues per process before refusing


def _listening(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _serve_one(host: str, port: int, options: dict[str, Any]) -> None:
    import uvicorn

    sock = _listening(host, port)
    sock.listen(_BACKLOG)
    config = uvicorn.Config("wiredesk.serve.api:app_from_env", factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


def serve_processes(host: str, port: int, workers: int, **options: Any) -> None:
    """Run the app over $WIREDESK_DB in `workers` processes on `host`:`port` until this
    process is told to stop (SIGINT, SIGTERM); `options` go to uvicorn's Config.

    The port is bound here first (port 0: any free port), so a port already taken is an
    OSError before any process starts; this socket never listens, and takes no connection."""
    reserved = _listening(host, port)
    port = reserved.getsockname()[1]
    context = multiprocessing.get_context("spawn")  # each process starts clean, then loads
    processes = [
        context.Process(target=_serve_one, args=(host, port, options), name=f"wiredesk-{n}")
        for n in range(workers)
    ]

    def stop(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        for process in processes:
            process.start()
        for process in processes:
            process.join()
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join()
        signal.signal(signal.SIGTERM, previous)
        reserved.close()
