using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Host
{
    /// <summary>
    /// The hosted runspace is a plain Core runspace: what InitialSessionState.CreateDefault2 gives and nothing that
    /// imitates a Utility or Management cmdlet, so a script relying on one fails here as it would in a minimal host,
    /// instead of passing against a look-alike that behaves differently from the real cmdlet.
    /// </summary>
    public class PeerSessionFactoryTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession(importModule: false);

        [Fact]
        public void Session_holds_only_the_default_Core_commands()
        {
            var defaults = InitialSessionState.CreateDefault2().Commands.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

            var result = _session.Run("Get-Command -CommandType Cmdlet, Function | ForEach-Object { $_.Name }");

            result.ShouldSucceed();
            var extra = result.Output.Select(o => (string)o.BaseObject).Where(n => !defaults.Contains(n)).ToList();
            Assert.True(extra.Count == 0, "commands beyond the default session state: " + string.Join(", ", extra));
            Assert.Contains("ForEach-Object", result.Output.Select(o => (string)o.BaseObject));
        }

        [Theory]
        [InlineData("Write-Host")]
        [InlineData("Out-String")]
        [InlineData("Select-Object")]
        [InlineData("Join-Path")]
        public void Utility_and_Management_cmdlets_are_not_found(string name)
        {
            var result = _session.Run($"{name} x");

            var error = Assert.Single(result.AllErrors);
            Assert.IsType<CommandNotFoundException>(error.Exception);
        }

        public void Dispose() => _session.Dispose();
    }
}
