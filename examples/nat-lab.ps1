<#
.SYNOPSIS
    Gnutella through a real NAT: a servent at "home" behind Linux masquerade answers with the push flag, and its file
    arrives by Push + GIV, because nothing can connect in to it.
.DESCRIPTION
    Builds a small lab of Linux network namespaces, all addressed from 198.18.0.0/15 (the benchmarking range):

        this machine 198.18.N.1 --- 198.18.N.254 [NAT: nftables masquerade] 198.19.N.1 --- home 198.19.N.2

    N is the lab's slot: several labs may run on one machine at once (this script twice, or beside the tests under
    tests/PSPeer.Module.Tests/Hosts), so each claims a free slot by holding an exclusive lock on
    /run/pspeer-labs/slot-N.lock while it runs, and names what it makes after it (namespaces pspeer-N-nat and
    pspeer-N-home, the veth p9-N-wan here). Before building, it removes what was left by labs whose owner died (their
    slot's lock is free again: the kernel drops a lock with its process), never what a running lab made.

    This script runs an ultrapeer on 198.18.N.1 (the "internet" side) with -Reachability Detect. It starts a leaf in
    the home namespace (another PowerShell process: pwsh, or PSPeer's script host) that shares one file and dials out
    through the NAT. The ultrapeer, reached from outside, knows it is not firewalled; the leaf, which nobody can reach,
    knows it is, so its QueryHit carries the push flag. The download sends a Push along the Gnutella link; the leaf
    connects back (GIV) through the NAT and serves the file on that connection. Everything made is removed afterwards:
    the namespaces (their veths and nftables table with them), the one veth in this machine's namespace, the process.

    It needs Linux, root (to make namespaces), `ip` (iproute2) and `nft` (nftables). Where one is missing it makes
    nothing, says what it needs, and emits a summary with Ran = $false. The last thing it emits is one summary object
    (Ran, Needs, HitNeedsPush, LeafFirewalled, UltrapeerFirewalled, Verified, BytesMatch) that tests assert on.
#>
[CmdletBinding()]
param(
    [int] $FileSize = 256KB,
    [int] $TimeoutSeconds = 60
)
$ErrorActionPreference = 'Stop'

function Find-Tool([string] $name) {
    foreach ($dir in '/usr/sbin', '/usr/bin', '/sbin', '/bin') { if ([IO.File]::Exists("$dir/$name")) { return "$dir/$name" } }
}
function Invoke-Tool([string] $tool, [string[]] $arguments, [switch] $AllowFailure) {
    $psi = [Diagnostics.ProcessStartInfo]::new($tool)
    foreach ($a in $arguments) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardError = $true; $psi.RedirectStandardOutput = $true; $psi.UseShellExecute = $false
    $p = [Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEnd(); $err = $p.StandardError.ReadToEnd()
    $p.WaitForExit()
    if ($p.ExitCode -ne 0 -and -not $AllowFailure) { throw "$tool $($arguments -join ' ') failed: $err" }
    $out
}

# What this machine lacks, if anything.
$needs = $null
$ip = Find-Tool 'ip'; $nft = Find-Tool 'nft'
if (-not $IsLinux) { $needs = 'Linux network namespaces (this is not Linux)' }
elseif (([IO.File]::ReadAllLines('/proc/self/status') | Where-Object { $_ -like 'Uid:*' }) -notmatch '^Uid:\s+0\s') { $needs = 'root, to make network namespaces (sudo)' }
elseif (-not $ip) { $needs = '`ip` from iproute2 (apt-get install iproute2)' }
elseif (-not $nft) { $needs = '`nft` from nftables (apt-get install nftables)' }

# The home leaf runs in another process: pwsh if there is one, else PSPeer's script host from this repository.
$module = (Get-Module PSPeer).Path
$runner = $null
if (-not $needs) {
    foreach ($candidate in @("$env:HOME/.dotnet/tools/pwsh", '/usr/bin/pwsh', '/usr/local/bin/pwsh', '/opt/microsoft/powershell/7/pwsh')) {
        if ([IO.File]::Exists($candidate)) { $runner = @($candidate, '-NoLogo', '-NoProfile', '-NonInteractive', '-File'); break }
    }
    if (-not $runner) {
        $repo = [IO.Path]::GetFullPath([IO.Path]::Combine([IO.Path]::GetDirectoryName($module), '..', '..'))
        $hostDll = @('Debug', 'Release') | ForEach-Object { [IO.Path]::Combine($repo, 'src', 'PSPeer.Host', 'bin', $_, 'net10.0', 'PSPeer.Host.dll') } |
            Where-Object { [IO.File]::Exists($_) }
        if ($hostDll) { $runner = @('dotnet', @($hostDll)[0]) }
        else { $needs = 'pwsh (dotnet tool install --global PowerShell) or a built src/PSPeer.Host, to run the home leaf' }
    }
}
if ($needs) {
    $PSCmdlet.WriteWarning("nat-lab needs $needs; nothing was made.")
    [pscustomobject]@{ Ran = $false; Needs = $needs; HitNeedsPush = $null; LeafFirewalled = $null; UltrapeerFirewalled = $null; Verified = $null; BytesMatch = $null }
    return
}

# A lab slot: the lock on its file is held (FileShare.None is flock on Linux) for as long as this lab lives.
function Lock-LabSlot([int] $n) {
    [void][IO.Directory]::CreateDirectory('/run/pspeer-labs')
    try { [IO.FileStream]::new("/run/pspeer-labs/slot-$n.lock", 'OpenOrCreate', 'ReadWrite', 'None') } catch [IO.IOException] { $null }
}
function Remove-Namespace([string] $ns) {
    foreach ($id in (Invoke-Tool $ip @('netns', 'pids', $ns) -AllowFailure) -split "`n" | Where-Object { $_.Trim() }) {
        try { [Diagnostics.Process]::GetProcessById([int]$id).Kill($true) } catch { }
    }
    [void](Invoke-Tool $ip @('netns', 'del', $ns) -AllowFailure)   # its veths go with it, this machine's end too
}
# Leftovers of this slot (its earlier owner died) and of slots whose owner died; a live lab's slot cannot be locked.
function Remove-DeadLabs {
    $names = (Invoke-Tool $ip @('netns', 'list')) -split "`n" | ForEach-Object { ($_ -split ' ')[0].Trim() } | Where-Object { $_ -match '^pspeer-\d+-' }
    foreach ($group in $names | Group-Object { [int]($_ -replace '^pspeer-(\d+)-.*$', '$1') }) {
        $n = [int]$group.Name
        $claim = if ($n -eq $slot) { $null } else { Lock-LabSlot $n }
        if ($n -eq $slot -or $claim) { $group.Group | ForEach-Object { Remove-Namespace $_ } }
        if ($claim) { $claim.Dispose() }
    }
}

$slotLock = $null
for ($slot = 1; $slot -le 250 -and -not $slotLock; $slot++) { $slotLock = Lock-LabSlot $slot }
if (-not $slotLock) { throw 'All 250 lab slots under /run/pspeer-labs are held by running labs.' }
$slot--
$nat = "pspeer-$slot-nat"; $home_ = "pspeer-$slot-home"; $wan = "p9-$slot-wan"   # an interface name is at most 15 characters
$public = "198.18.$slot"; $private = "198.19.$slot"
$slotLock.SetLength(0); $pid_ = [Text.Encoding]::ASCII.GetBytes("$PID`n"); $slotLock.Write($pid_, 0, $pid_.Length); $slotLock.Flush()

$root = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'pspeer-natlab-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
$leafProcess = $null
$up = $null
try {
    Remove-DeadLabs
    # The lab: this machine -- NAT -- home.
    foreach ($ns in $nat, $home_) { [void](Invoke-Tool $ip @('netns', 'add', $ns)); [void](Invoke-Tool $ip @('-n', $ns, 'link', 'set', 'lo', 'up')) }
    [void](Invoke-Tool $ip @('link', 'add', $wan, 'type', 'veth', 'peer', 'name', 'p9x-natwan', 'netns', $nat))
    [void](Invoke-Tool $ip @('addr', 'add', "$public.1/24", 'dev', $wan))
    [void](Invoke-Tool $ip @('link', 'set', $wan, 'up'))
    [void](Invoke-Tool $ip @('-n', $nat, 'addr', 'add', "$public.254/24", 'dev', 'p9x-natwan'))
    [void](Invoke-Tool $ip @('-n', $nat, 'link', 'set', 'p9x-natwan', 'up'))
    [void](Invoke-Tool $ip @('-n', $nat, 'link', 'add', 'p9x-natlan', 'type', 'veth', 'peer', 'name', 'p9x-lan', 'netns', $home_))
    [void](Invoke-Tool $ip @('-n', $nat, 'addr', 'add', "$private.1/24", 'dev', 'p9x-natlan'))
    [void](Invoke-Tool $ip @('-n', $nat, 'link', 'set', 'p9x-natlan', 'up'))
    [void](Invoke-Tool $ip @('-n', $home_, 'addr', 'add', "$private.2/24", 'dev', 'p9x-lan'))
    [void](Invoke-Tool $ip @('-n', $home_, 'link', 'set', 'p9x-lan', 'up'))
    [void](Invoke-Tool $ip @('-n', $home_, 'route', 'add', 'default', 'via', "$private.1"))
    [void](Invoke-Tool $ip @('netns', 'exec', $nat, 'sysctl', '-qw', 'net.ipv4.ip_forward=1'))
    [void][IO.Directory]::CreateDirectory($root)
    $rules = [IO.Path]::Combine($root, 'nat.nft')
    [IO.File]::WriteAllText($rules, "table ip pspeer {`n chain postrouting {`n  type nat hook postrouting priority srcnat; policy accept;`n  oifname `"p9x-natwan`" masquerade`n }`n}`n")
    [void](Invoke-Tool $ip @('netns', 'exec', $nat, $nft, '-f', $rules))

    # The public ultrapeer, here.
    $up = Start-PeerNode -Protocol Gnutella -Role Ultrapeer -Name 'internet' -Address "$public.1" -Port 6346 -Reachability Detect

    # The home leaf, in its namespace, sharing one file.
    $share = [IO.Path]::Combine($root, 'home-share')
    [void][IO.Directory]::CreateDirectory($share)
    $bytes = [byte[]]::new($FileSize); [Random]::new(4787).NextBytes($bytes)
    [IO.File]::WriteAllBytes([IO.Path]::Combine($share, 'holiday video.mp4'), $bytes)
    $done = [IO.Path]::Combine($root, 'done')
    $leafScript = [IO.Path]::Combine($root, 'home-leaf.ps1')
    [IO.File]::WriteAllText($leafScript, @"
`$ErrorActionPreference = 'Stop'
if (-not (Get-Module PSPeer)) { Import-Module '$module' }
`$leaf = Start-PeerNode -Protocol Gnutella -Role Leaf -Name home -Address $private.2 -Port 6346 -Bootstrap $public.1:6346 -SharedPath '$share' -Reachability Detect
`$deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
while (-not [IO.File]::Exists('$done') -and [DateTime]::UtcNow -lt `$deadline) { [Threading.Thread]::Sleep(100) }
[IO.File]::WriteAllText('$done.leaf', "`$(`$leaf.Firewalled)")
Stop-PeerNode `$leaf
"@)
    $psi = [Diagnostics.ProcessStartInfo]::new($ip)
    foreach ($a in @('netns', 'exec', $home_) + $runner + @($leafScript)) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false; $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
    $leafProcess = [Diagnostics.Process]::Start($psi)

    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($up.ConnectionCount -lt 1 -and [DateTime]::UtcNow -lt $deadline) { [Threading.Thread]::Sleep(100) }
    if ($up.ConnectionCount -lt 1) { throw "The home leaf did not connect out through the NAT: $($leafProcess.StandardError.ReadToEnd())" }
    [Threading.Thread]::Sleep(1000)   # its QRP table reaches the ultrapeer
    Get-PeerNode | Out-Default

    # The leaf's QRP table reaches the ultrapeer asynchronously: ask again (a few times) until it has.
    $hits = @()
    for ($try = 0; $try -lt 10 -and $hits.Count -eq 0; $try++) { if ($try) { [Threading.Thread]::Sleep(1000) }; $hits = @(Find-PeerFile 'holiday' -Via $up -Timeout 5) }
    $hits | Out-Default
    "The hit from $($hits[0].Source) needs a Push: $($hits[0].NeedsPush)" | Out-Default
    $download = $hits[0] | Receive-PeerFile -Destination ([IO.Path]::Combine($root, 'downloads'))
    $download | Out-Default
    $same = [BitConverter]::ToString([IO.File]::ReadAllBytes($download.Path)) -eq [BitConverter]::ToString($bytes)

    [IO.File]::WriteAllText($done, 'done')
    [void]$leafProcess.WaitForExit(20000)
    $leafFirewalled = if ([IO.File]::Exists("$done.leaf")) { [IO.File]::ReadAllText("$done.leaf") -eq 'True' } else { $null }
    [pscustomobject]@{
        Ran = $true; Needs = $null
        HitNeedsPush = $hits[0].NeedsPush
        LeafFirewalled = $leafFirewalled
        UltrapeerFirewalled = $up.Firewalled
        Verified = $download.Verified
        BytesMatch = $same
    }
}
finally {
    if ($up) { Stop-PeerNode $up }
    if ($leafProcess -and -not $leafProcess.HasExited) { $leafProcess.Kill($true) }
    foreach ($ns in $nat, $home_) { Remove-Namespace $ns }
    $slotLock.Dispose()
    if ([IO.Directory]::Exists($root)) { [IO.Directory]::Delete($root, $true) }
}
