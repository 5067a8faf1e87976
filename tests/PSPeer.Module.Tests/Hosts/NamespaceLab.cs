using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Hosts
{
    /// <summary>
    /// The namespaced tests of one run go one at a time (they are heavy: several script processes each). Labs of
    /// different runs, or two in one run, do not collide: each holds its own <see cref="LabSlot"/>.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class NamespaceCollection
    {
        public const string Name = "Linux network namespaces";
    }

    /// <summary>A fact that needs root, `ip` and `nft` on Linux; elsewhere it skips and says which is missing.</summary>
    public sealed class NamespaceFactAttribute : FactAttribute
    {
        public NamespaceFactAttribute()
        {
            var reason = NamespaceLab.WhyNot();
            if (reason != null) Skip = reason;
        }
    }

    /// <summary>
    /// Separate hosts made of Linux network namespaces, all addressed from 198.18.0.0/15 (the benchmarking range, so
    /// nothing here can be mistaken for a real network):
    ///
    ///     pub1 198.18.0.1   pub2 198.18.0.2   pub3 198.18.0.3   nat 198.18.0.254 (public side)
    ///        \______________________|_______________/____________/
    ///                        bridge in "inet"
    ///     home 198.19.0.2 -- 198.19.0.1 nat (nftables masquerade out of its public side)
    ///
    /// The public hosts have no route to 198.19.0.0/24, so the home host is reachable only through the NAT, as a home
    /// network is. Nodes run in `ip netns exec &lt;ns&gt; dotnet PSPeer.Host.dll script.ps1` processes.
    ///
    /// Only the namespace names are the machine's: addresses, veths, the bridge and the nftables table live inside
    /// the lab's own namespaces, so two labs use the same ones without meeting. A lab claims a <see cref="LabSlot"/>
    /// and names its namespaces after it (<c>pspeer-N-pub1</c>); before building it removes the leftovers of its slot
    /// and of slots whose owner has died (a killed run), never those of a live lab. Dispose kills every process
    /// started, deletes the namespaces (their veths, bridge and nftables table go with them) and frees the slot.
    /// </summary>
    public sealed class NamespaceLab : IDisposable
    {
        public const string Home = "198.19.0.2";
        public const string NatPublic = "198.18.0.254";
        public static string Pub(int n) => "198.18.0." + n;

        static readonly string[] Hosts = { "pub1", "pub2", "pub3", "nat", "home" };
        readonly List<Process> _processes = new List<Process>();
        readonly StringBuilder _log = new StringBuilder();
        readonly LabSlot _slot;

        public NamespaceLab(TempFolder temp)
        {
            Temp = temp;
            _slot = LabSlot.Claim();
            try
            {
                RemoveLeftovers();
                Build();
            }
            catch { Dispose(); throw; }
        }

        public TempFolder Temp { get; }

        /// <summary>The slot this lab holds: its namespaces are named after it.</summary>
        public int Slot => _slot.Number;

        /// <summary>The machine-wide name of host <paramref name="host"/>'s namespace ("pub1", "nat", "home"...).</summary>
        public string Namespace(string host) => _slot.Namespace(host);

        /// <summary>The names of this machine's network namespaces now.</summary>
        public static IReadOnlyList<string> ListNamespaces() =>
            (RunQuietly("netns list") ?? "").Split('\n').Select(l => l.Split(' ')[0].Trim()).Where(n => n.Length > 0).ToList();

        /// <summary>Null when namespaces can be made here; else what is missing.</summary>
        public static string WhyNot()
        {
            if (!OperatingSystem.IsLinux()) return "needs Linux network namespaces (this is not Linux)";
            if (!IsRoot()) return "needs root to make network namespaces (ip netns); run the suite as root to include it";
            if (Which("ip") == null) return "needs `ip` (iproute2): bash .ci/install-tools.sh";
            if (Which("nft") == null) return "needs `nft` (nftables) for the NAT: bash .ci/install-tools.sh";
            return CanMakeNamespaces.Value;
        }

        // Root is not always enough (a container without CAP_SYS_ADMIN): try once to make and remove a namespace.
        // The probe's name is a slot's too, so a concurrent run neither meets it nor sweeps it while it lives.
        static readonly Lazy<string> CanMakeNamespaces = new Lazy<string>(() =>
        {
            using (var slot = LabSlot.Claim())
            {
                string probe = slot.Namespace("probe");
                if (!IpQuietly("netns add " + probe)) return "cannot make network namespaces here (`ip netns add` failed: no CAP_SYS_ADMIN?)";
                IpQuietly("netns del " + probe);
                return null;
            }
        });

        static bool IpQuietly(string args) => RunQuietly(args) != null;

        // `ip` with these arguments: its output, or null when it failed.
        static string RunQuietly(string args)
        {
            var psi = new ProcessStartInfo(Which("ip"), args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            using (var p = Process.Start(psi))
            {
                string output = p.StandardOutput.ReadToEnd(); p.StandardError.ReadToEnd();
                if (!p.WaitForExit(10_000)) { try { p.Kill(); } catch (InvalidOperationException) { } return null; }
                return p.ExitCode == 0 ? output : null;
            }
        }

        static bool IsRoot()
        {
            var uid = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:"));
            return uid != null && uid.Split(new[] { '\t', ' ' }, StringSplitOptions.RemoveEmptyEntries)[1] == "0";
        }

        static string Which(string tool) =>
            new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

        string Ns(string host) => _slot.Namespace(host);

        void Build()
        {
            Ip("netns add " + Ns("inet"));
            Ip($"-n {Ns("inet")} link add br0 type bridge");
            Ip($"-n {Ns("inet")} link set br0 up");
            foreach (var host in Hosts)
            {
                Ip("netns add " + Ns(host));
                Ip($"-n {Ns(host)} link set lo up");
            }
            int[] last = { 1, 2, 3, 254 };
            for (int i = 0; i < 4; i++)
            {
                string host = Hosts[i], dev = "p9" + host, bridgeEnd = "p9" + host + "b";
                // Made inside the namespaces directly, so nothing ever appears in this machine's own namespace (and
                // the names, local to the lab's namespaces, need no slot in them).
                Ip($"-n {Ns("inet")} link add {bridgeEnd} type veth peer name {dev} netns {Ns(host)}");
                Ip($"-n {Ns("inet")} link set {bridgeEnd} master br0 up");
                Ip($"-n {Ns(host)} addr add 198.18.0.{last[i]}/24 dev {dev}");
                Ip($"-n {Ns(host)} link set {dev} up");
            }
            Ip($"-n {Ns("nat")} link add p9inside type veth peer name p9home netns {Ns("home")}");
            Ip($"-n {Ns("nat")} addr add 198.19.0.1/24 dev p9inside");
            Ip($"-n {Ns("nat")} link set p9inside up");
            Ip($"-n {Ns("home")} addr add {Home}/24 dev p9home");
            Ip($"-n {Ns("home")} link set p9home up");
            Ip($"-n {Ns("home")} route add default via 198.19.0.1");
            Run("ip", $"netns exec {Ns("nat")} sysctl -qw net.ipv4.ip_forward=1");
            string rules = Path.Combine(Temp.Path, "nat.nft");
            File.WriteAllText(rules,
                "table ip pspeer {\n  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n" +
                "    oifname \"p9nat\" masquerade\n  }\n}\n");
            Run("ip", $"netns exec {Ns("nat")} nft -f {rules}");
        }

        void Ip(string args) => Run("ip", args);

        string Run(string tool, string args, bool check = true)
        {
            var psi = new ProcessStartInfo(Which(tool) ?? tool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using (var p = Process.Start(psi))
            {
                string output = p.StandardOutput.ReadToEnd();
                string error = p.StandardError.ReadToEnd();
                if (!p.WaitForExit(30_000)) { p.Kill(true); throw new TimeoutException($"{tool} {args} did not finish"); }
                _log.AppendLine($"$ {tool} {args} -> {p.ExitCode} {error.Trim()}");
                if (check && p.ExitCode != 0) throw new InvalidOperationException($"{tool} {args} failed ({p.ExitCode}): {error}");
                return output;
            }
        }

        /// <summary>Starts <paramref name="script"/> (PowerShell text) on a host, with the PSPeer module, through the PSPeer script host.</summary>
        public NodeProcess Start(string host, string name, string script, params string[] args)
        {
            string file = Path.Combine(Temp.Path, name + ".ps1");
            File.WriteAllText(file, script);
            // The script host built in the same configuration as these tests (it is a project reference).
            string configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
            string hostDll = Path.Combine(ModuleSession.RepoRoot, "src", "PSPeer.Host", "bin", configuration, "net10.0", "PSPeer.Host.dll");
            if (!File.Exists(hostDll)) throw new FileNotFoundException("Build src/PSPeer.Host first.", hostDll);
            var psi = new ProcessStartInfo(Which("ip"))
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                WorkingDirectory = Temp.Path,
            };
            foreach (var a in new[] { "netns", "exec", Ns(host), "dotnet", hostDll, file }.Concat(args)) psi.ArgumentList.Add(a);
            var process = new NodeProcess(name, Process.Start(psi));
            lock (_processes) _processes.Add(process.Process);
            return process;
        }

        public string Log => _log.ToString();

        /// <summary>pwsh for remoting (an installed one, else the repository's local dotnet tool), or null.</summary>
        public static string Pwsh =>
            new[] { Environment.GetEnvironmentVariable("HOME") + "/.dotnet/tools/pwsh", "/usr/bin/pwsh", "/usr/local/bin/pwsh", "/opt/microsoft/powershell/7/pwsh" }
                .FirstOrDefault(File.Exists) ?? LocalToolPwsh();

        /// <summary>
        /// The pwsh that `dotnet tool restore` gives the repository (.config/dotnet-tools.json) is a framework-dependent
        /// pwsh.dll in the NuGet cache, with no executable of its own; sshd's subsystem and the workstation need one
        /// path, so a small launcher script runs it. Null when the tool is not restored.
        /// </summary>
        static string LocalToolPwsh()
        {
            if (OperatingSystem.IsWindows()) return null;   // the namespaces and sshd are Linux's
            string manifest = File.ReadAllText(Path.Combine(ModuleSession.RepoRoot, ".config", "dotnet-tools.json"));
            var version = System.Text.RegularExpressions.Regex.Match(manifest, "\"powershell\"\\s*:\\s*\\{\\s*\"version\"\\s*:\\s*\"([^\"]+)\"");
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".nuget", "packages");
            string dll = Path.Combine(packages, "powershell", version.Groups[1].Value, "tools", "net10.0", "any", "unix", "pwsh.dll");
            string dotnet = Which("dotnet");
            if (!version.Success || !File.Exists(dll) || dotnet == null) return null;
            string launcher = Path.Combine(Path.GetTempPath(), "pspeer-pwsh-" + version.Groups[1].Value + ".sh");
            string text = "#!/bin/sh\nexec " + dotnet + " " + dll + " \"$@\"\n";
            if (!File.Exists(launcher) || File.ReadAllText(launcher) != text)
            {
                File.WriteAllText(launcher, text);
                File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                    UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            return launcher;
        }

        /// <summary>Null when PowerShell remoting over SSH can run here; else what is missing.</summary>
        public static string WhyNoRemoting()
        {
            if (WhyNot() != null) return WhyNot();
            if (!File.Exists("/usr/sbin/sshd")) return "needs sshd for remoting: bash .ci/install-tools.sh (openssh-server)";
            if (Which("ssh") == null) return "needs the ssh client for remoting (openssh-client)";
            if (Which("ssh-keygen") == null) return "needs ssh-keygen (openssh-client)";
            if (Pwsh == null) return "needs pwsh as the SSH subsystem: dotnet tool restore (the repository's local tool) or a pwsh on the machine";
            return null;
        }

        /// <summary>
        /// Starts sshd on <paramref name="host"/> (its own config, host key and authorized key, all in the temp folder),
        /// with pwsh as its "powershell" subsystem, so New-PSSession -HostName reaches it. Returns the client key file.
        /// </summary>
        public string StartSshd(string host, string address)
        {
            string dir = Path.Combine(Temp.Path, "ssh");
            string clientKey = Path.Combine(dir, "client");
            if (!File.Exists(clientKey))
            {
                Directory.CreateDirectory(dir);
                Run("ssh-keygen", $"-q -t ed25519 -N \"\" -f {clientKey}");
                Run("ssh-keygen", $"-q -t ed25519 -N \"\" -f {Path.Combine(dir, "hostkey")}");
                File.Copy(clientKey + ".pub", Path.Combine(dir, "authorized_keys"));
                Directory.CreateDirectory("/run/sshd");
            }
            string config = Path.Combine(dir, "sshd-" + host + ".conf");
            File.WriteAllText(config, string.Join("\n",
                "ListenAddress " + address, "Port 22", "HostKey " + Path.Combine(dir, "hostkey"),
                "AuthorizedKeysFile " + Path.Combine(dir, "authorized_keys"), "PermitRootLogin prohibit-password",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
                "PidFile " + Path.Combine(dir, "sshd-" + host + ".pid"),
                "Subsystem powershell " + Pwsh + " -sshs -NoLogo -NoProfile", "") );
            var psi = new ProcessStartInfo(Which("ip")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "netns", "exec", Ns(host), "/usr/sbin/sshd", "-D", "-e", "-f", config }) psi.ArgumentList.Add(a);
            var process = new NodeProcess("sshd-" + host, Process.Start(psi));
            lock (_processes) _processes.Add(process.Process);
            return clientKey;
        }

        /// <summary>Runs pwsh with <paramref name="script"/> on a host (the workstation that drives the others over SSH).</summary>
        public NodeProcess StartPwsh(string host, string name, string script, params string[] args)
        {
            string file = Path.Combine(Temp.Path, name + ".ps1");
            File.WriteAllText(file, script);
            var psi = new ProcessStartInfo(Which("ip")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Temp.Path };
            foreach (var a in new[] { "netns", "exec", Ns(host), Pwsh, "-NoLogo", "-NoProfile", "-NonInteractive", "-File", file }.Concat(args)) psi.ArgumentList.Add(a);
            var process = new NodeProcess(name, Process.Start(psi));
            lock (_processes) _processes.Add(process.Process);
            return process;
        }

        // This slot's names are a dead earlier owner's (we hold it now); other slots' only when their owner is gone.
        void RemoveLeftovers()
        {
            var names = ListNamespaces();
            foreach (var ns in names.Where(n => LabSlot.OwnerOf(n) == Slot)) RemoveNamespace(ns);
            foreach (var (claim, dead) in LabSlot.ClaimDead(names, except: Slot))
                using (claim)
                    foreach (var ns in dead) RemoveNamespace(ns);
        }

        void RemoveNamespace(string ns)
        {
            // Processes still in it first (a killed earlier run), so the namespace really goes.
            foreach (var pid in Run("ip", $"netns pids {ns}", check: false).Split('\n').Select(s => s.Trim()).Where(s => s.Length > 0))
                if (int.TryParse(pid, out int id)) { try { Process.GetProcessById(id).Kill(true); } catch (Exception) { } }
            Run("ip", $"netns del {ns}", check: false);
        }

        public void Dispose()
        {
            lock (_processes)
                foreach (var p in _processes)
                {
                    try { if (!p.HasExited) p.Kill(true); p.WaitForExit(10_000); } catch (Exception) { }
                    p.Dispose();
                }
            if (_slot == null) return;
            foreach (var host in Hosts.Concat(new[] { "inet" })) RemoveNamespace(Ns(host));
            _slot.Dispose();
        }
    }

    /// <summary>A node script running on a namespaced host, with its output gathered as it comes.</summary>
    public sealed class NodeProcess
    {
        readonly StringBuilder _output = new StringBuilder();

        public NodeProcess(string name, Process process)
        {
            Name = name;
            Process = process;
            process.OutputDataReceived += (s, e) => { if (e.Data != null) lock (_output) _output.AppendLine(e.Data); };
            process.ErrorDataReceived += (s, e) => { if (e.Data != null) lock (_output) _output.AppendLine("ERR " + e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Name { get; }
        public Process Process { get; }
        public string Output { get { lock (_output) return _output.ToString(); } }

        /// <summary>Waits for the script to end by itself; false (and the output so far, for the message) if it did not in time.</summary>
        public bool WaitForExit(TimeSpan limit)
        {
            if (!Process.WaitForExit((int)limit.TotalMilliseconds)) return false;
            // The timed overload returns before the redirected output is read to its end (its handlers may still be
            // running); only the parameterless one waits for that, and the process has already exited here.
            Process.WaitForExit();
            return true;
        }

        public override string ToString() => $"--- {Name} (exit {(Process.HasExited ? Process.ExitCode.ToString() : "running")}):\n{Output}";
    }
}
