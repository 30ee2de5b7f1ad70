"""Use cases wiring the pure core to the store, the clock and the acting person, one sub-package per
bounded context: ``paper`` (the count of protocols), ``e2e`` (the verifiable e-election), ``access``
(accounts, factors, throttles); ``channels`` is the one bridge between paper and e2e; ``context``,
``settings``, ``secret_key``, ``private_files`` and ``lookup`` are the kernel every context uses.

Import from the module that holds a use case (``saylau.services.paper.results``): this package
imports nothing, so a command loads only what it needs.
"""

__all__: list[str] = []
