using System;
using Xunit;
using Xunit.Sdk;

namespace PSPeer.Pester.Tests
{
    /// <summary>
    /// Marks a method that stands for every Pester suite (*.Tests.ps1) in a folder of the repository: the discoverer
    /// reports one xunit test per Pester It, which runs, passes, fails or skips as Pester says.
    /// </summary>
    [XunitTestCaseDiscoverer("PSPeer.Pester.Tests.PesterItDiscoverer", "PSPeer.Pester.Tests")]
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public sealed class PesterSuitesAttribute : FactAttribute
    {
        public PesterSuitesAttribute(string folder) => Folder = folder;

        public string Folder { get; }
    }
}
