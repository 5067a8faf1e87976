using Xunit;

// The module keeps live nodes in one process-wide registry and Remove-Module stops all of them, so sessions in
// parallel would stop each other's nodes. One test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
