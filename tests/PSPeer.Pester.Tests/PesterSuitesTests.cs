using Xunit;

// The PSPeer module keeps live nodes in one process-wide registry: one suite at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace PSPeer.Pester.Tests
{
    /// <summary>
    /// Every Pester suite under tests/Pester runs under `dotnet test`, one reported test per It: a new
    /// tests/Pester/&lt;Verb&gt;-&lt;Noun&gt;.Tests.ps1 is picked up with nothing to register.
    /// </summary>
    public class PesterSuitesTests
    {
        [PesterSuites("tests/Pester")]
        public void Pester() { }
    }
}
