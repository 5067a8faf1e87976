using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Module.Tests.Support;
using Xunit;
using static PSPeer.Module.Tests.Hosts.GnutellaAcrossNatTests;

namespace PSPeer.Module.Tests.Hosts
{
    /// <summary>
    /// Two labs on one machine at once (two test runs, or a test and examples/nat-lab.ps1) keep to their own names:
    /// each builds and works while the other lives, and a lab sweeps only the leftovers of labs whose owner died.
    /// </summary>
    [Collection(NamespaceCollection.Name)]
    public class NamespaceLabTests
    {
        // Home connects out through its NAT to pub1 on the same address and port in both labs at once.
        const string Listener = @"
param($dir)
$ErrorActionPreference = 'Stop'
$listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Parse('198.18.0.1'), 7000)
$listener.Start()
[IO.File]::WriteAllText([IO.Path]::Combine($dir, 'listening'), 'yes')
$accept = $listener.AcceptTcpClientAsync()
if ($accept.Wait(60000)) { [Console]::WriteLine('RESULT from=' + $accept.Result.Client.RemoteEndPoint.Address) }
$listener.Stop()
";
        const string Dialer = @"
param($dir)
$ErrorActionPreference = 'Stop'
$deadline = [DateTime]::UtcNow.AddSeconds(60)
while (-not [IO.File]::Exists([IO.Path]::Combine($dir, 'listening')) -and [DateTime]::UtcNow -lt $deadline) { [Threading.Thread]::Sleep(100) }
$client = [Net.Sockets.TcpClient]::new()
$client.Connect('198.18.0.1', 7000)
[Console]::WriteLine('RESULT connected=' + $client.Connected)
$client.Dispose()
";

        [NamespaceFact]
        public void Two_labs_built_at_the_same_time_each_get_their_own_names_and_both_work()
        {
            using (var tempA = new TempFolder("pspeer-ns"))
            using (var tempB = new TempFolder("pspeer-ns"))
            {
                var building = new[] { tempA, tempB }.Select(t => Task.Run(() => new NamespaceLab(t))).ToArray();
                NamespaceLab a = null, b = null;
                try
                {
                    Task.WaitAll(building);
                    a = building[0].Result; b = building[1].Result;
                    Assert.NotEqual(a.Slot, b.Slot);
                    var names = NamespaceLab.ListNamespaces();
                    foreach (var host in new[] { "inet", "pub1", "pub2", "pub3", "nat", "home" })
                    {
                        Assert.Contains(a.Namespace(host), names);   // the second lab's sweep left the first alone
                        Assert.Contains(b.Namespace(host), names);
                    }

                    var processes = new[] { a, b }.SelectMany(lab => new[]
                    {
                        lab.Start("pub1", "listener", Listener, lab.Temp.Path),
                        lab.Start("home", "dialer", Dialer, lab.Temp.Path),
                    }).ToArray();
                    WaitAll(a, processes);
                    for (int i = 0; i < 2; i++)
                    {
                        var r = Results(processes[2 * i], processes[2 * i + 1]);
                        string all = processes[2 * i] + "\n" + processes[2 * i + 1];
                        Assert.True(r.ContainsKey("from") && r.ContainsKey("connected"), all);
                        Assert.Equal("True", r["connected"]);
                        Assert.Equal(NamespaceLab.NatPublic, r["from"]);   // through that lab's own NAT
                    }

                    a.Dispose();
                    names = NamespaceLab.ListNamespaces();
                    Assert.DoesNotContain(names, n => LabSlot.OwnerOf(n) == a.Slot);
                    Assert.Contains(b.Namespace("home"), names);
                }
                finally
                {
                    foreach (var t in building) if (t.Status == TaskStatus.RanToCompletion) t.Result.Dispose();
                }
                Assert.DoesNotContain(NamespaceLab.ListNamespaces(), n => LabSlot.OwnerOf(n) == b.Slot);
            }
        }

        [NamespaceFact]
        public void A_lab_sweeps_the_leftovers_of_a_dead_run_and_never_those_of_a_live_one()
        {
            using (var temp = new TempFolder("pspeer-ns"))
            using (var other = new OtherRun())
            {
                string leftover = LabSlot.NamespaceOf(other.Slot, "stale");   // a name no lab makes again
                Run("ip", "netns add " + leftover);
                try
                {
                    // The other run is alive (a separate process holds its slot): its namespace stays.
                    using (var lab = new NamespaceLab(temp))
                    {
                        Assert.NotEqual(other.Slot, lab.Slot);
                        Assert.Contains(leftover, NamespaceLab.ListNamespaces());
                    }
                    // Killed, as a test run is by Ctrl+C or a crash: the next lab removes what it left.
                    other.Kill();
                    using (var lab = new NamespaceLab(temp))
                        Assert.DoesNotContain(leftover, NamespaceLab.ListNamespaces());
                }
                finally { Run("ip", "netns del " + leftover, check: false); }
            }
        }

        /// <summary>Another process holding a lab slot, as another test run does: flock(2) on the slot's lock file.</summary>
        sealed class OtherRun : IDisposable
        {
            readonly Process _holder;

            public OtherRun()
            {
                // Find a free slot and have a child process take it (another run may take it first: try the next).
                for (int attempt = 0; attempt < 20 && _holder == null; attempt++)
                {
                    int number;
                    using (var free = LabSlot.Claim()) number = free.Number;
                    // One process holds the lock, as a test run does: the shell opens it, takes it and becomes `sleep`.
                    var psi = new ProcessStartInfo("sh") { UseShellExecute = false };
                    psi.ArgumentList.Add("-c");
                    psi.ArgumentList.Add($"exec 9>>{LabSlot.LockFolder}/slot-{number}.lock && flock -n 9 && exec sleep 300");
                    var child = Process.Start(psi);
                    for (int i = 0; i < 200 && !child.HasExited; i++)
                    {
                        using (var probe = LabSlot.TryClaim(number))
                            if (probe == null) { _holder = child; Slot = number; break; }
                        Thread.Sleep(50);
                    }
                    if (_holder == null) { if (!child.HasExited) child.Kill(); child.Dispose(); }
                }
                Assert.True(_holder != null, "no child process could hold a lab slot");
            }

            public int Slot { get; }

            public void Kill()
            {
                _holder.Kill();
                _holder.WaitForExit();
            }

            public void Dispose()
            {
                if (!_holder.HasExited) Kill();
                _holder.Dispose();
            }
        }

        static void Run(string tool, string args, bool check = true)
        {
            using (var p = Process.Start(new ProcessStartInfo(tool, args) { UseShellExecute = false, RedirectStandardError = true }))
            {
                string error = p.StandardError.ReadToEnd();
                p.WaitForExit();
                if (check) Assert.True(p.ExitCode == 0, $"{tool} {args}: {error}");
            }
        }
    }
}
