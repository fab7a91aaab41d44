"""ClusterLab beyond one machine: the Dask engine.

:mod:`.lloyd` is the map-reduce Lloyd step (numpy only); :mod:`.engine` connects to a Dask cluster
(or starts a local one) and gives the sweep an executor; :mod:`.partitioned` clusters partitioned
Parquet or CSV that need not fit in one machine's memory. Dask itself is imported only when used
(``pip install clusterlab[dask]``).
"""

from __future__ import annotations

__all__: list[str] = []
