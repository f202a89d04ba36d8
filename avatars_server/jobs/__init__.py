"""Job execution: the runner (process pool or Dask), the job function and its steps."""
