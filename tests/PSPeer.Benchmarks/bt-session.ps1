# bt-session.ps1 - one PowerShell session, already open, that runs bt-compare's seeders and leechers as cmdlets
# (PSPEER_CLIENT=session): the way a user runs them at a prompt where PSPeer is imported, without paying PowerShell's
# start-up per seeder or leecher. Start-up is paid once, measured here and written to Inbox/ready.
#
# Protocol (files in Inbox): a client (bt-session-client.sh) drops <id>.cmd, one argument a line:
#   seed TORRENT DIR PORT | leech TORRENT DIR PORT [DONE]
# and waits for <id>.rc (the exit code). <id>.stop asks that command to stop (the client got SIGTERM): a seeder stops
# its node (announcing "stopped"), a leecher is stopped like Ctrl+C. Inbox/quit ends the session.
# Each command runs in its own runspace of a pool opened now with the module imported, so seeders and leechers run
# side by side as thread jobs would in one session.
# The session waits on events (a FileSystemWatcher on Inbox, each command's completion), never polls: a prompt that
# is just open costs no CPU, and polling every 5 ms here (Join-Path and all) took 5 % of a core from the transfers
# it timed; seeding through it cost 0.3-0.4 s more CPU per GiB than the same seeder without PowerShell.
param([Parameter(Mandatory)] [string] $Inbox, [int] $Runspaces = 8)
$ErrorActionPreference = 'Stop'
$began = [Diagnostics.Process]::GetCurrentProcess().StartTime
$hostReady = [DateTime]::Now

$manifest = (Get-Module PSPeer).Path
$state = [Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
$state.ImportPSModule([string[]] @($manifest))
$pool = [RunspaceFactory]::CreateRunspacePool($Runspaces, $Runspaces, $state, $Host)
$pool.Open()
# Open every runspace now (a pool opens them lazily), so no command pays for one.
$warm = 1..$Runspaces | ForEach-Object {
    $ps = [PowerShell]::Create(); $ps.RunspacePool = $pool
    $null = $ps.AddScript('$null = Get-Command -Module PSPeer')
    [pscustomobject] @{ PS = $ps; Handle = $ps.BeginInvoke() }
}
foreach ($w in $warm) { $null = $w.PS.EndInvoke($w.Handle); $w.PS.Dispose() }
$poolReady = [DateTime]::Now

$roles = @{
    seed = {
        param([string] $Torrent, [string] $Dir, [int] $Port, [string] $Done, [string] $StopFile)
        $ProgressPreference = 'SilentlyContinue'
        $ErrorActionPreference = 'Stop'
        $node = Start-PeerNode -Protocol BitTorrent -Role Seeder -Torrent $Torrent -SharedPath $Dir -Port $Port
        # Idle until told to stop, as at a prompt: woken by the stop file's creation (checked again each second).
        $watch = [IO.FileSystemWatcher]::new([IO.Path]::GetDirectoryName($StopFile), [IO.Path]::GetFileName($StopFile))
        try { while (-not [IO.File]::Exists($StopFile)) { $null = $watch.WaitForChanged([IO.WatcherChangeTypes]::All, 1000) } }
        finally { $watch.Dispose(); $node | Stop-PeerNode }
        0
    }
    leech = {
        param([string] $Torrent, [string] $Dir, [int] $Port, [string] $Done, [string] $StopFile)
        $ProgressPreference = 'SilentlyContinue'
        $ErrorActionPreference = 'Stop'
        $download = Get-TorrentInfo $Torrent | Receive-PeerFile -Destination $Dir -Port $Port -Seed:([bool]$Done)
        if (-not $download.Verified) { return 1 }
        if ($Done) {
            [IO.File]::WriteAllText($Done, '')
            $watch = [IO.FileSystemWatcher]::new([IO.Path]::GetDirectoryName($StopFile), [IO.Path]::GetFileName($StopFile))
            try { while (-not [IO.File]::Exists($StopFile)) { $null = $watch.WaitForChanged([IO.WatcherChangeTypes]::All, 1000) } }
            finally { $watch.Dispose(); Get-PeerNode | Stop-PeerNode }
        }
        0
    }
}

$startup = '{0:0.000} {1:0.000}' -f ($hostReady - $began).TotalSeconds, ($poolReady - $hostReady).TotalSeconds
[IO.File]::WriteAllText((Join-Path $Inbox 'ready.tmp'), "$startup`n")
Move-Item (Join-Path $Inbox 'ready.tmp') (Join-Path $Inbox 'ready') -Force

# Every file created or renamed in Inbox, and every command's state change, queues an event that wakes the loop. Events
# are drained before the inbox is looked at, so one arriving meanwhile wakes the next wait: nothing is missed.
$watcher = [IO.FileSystemWatcher]::new($Inbox)
$null = Register-ObjectEvent -InputObject $watcher -EventName Created -SourceIdentifier inbox.created
$null = Register-ObjectEvent -InputObject $watcher -EventName Renamed -SourceIdentifier inbox.renamed
$watcher.EnableRaisingEvents = $true
$quit = Join-Path $Inbox 'quit'
$running = @{}
while (-not [IO.File]::Exists($quit)) {
    Get-Event | Remove-Event
    foreach ($file in [IO.Directory]::GetFiles($Inbox, '*.cmd')) {
        $id = [IO.Path]::GetFileNameWithoutExtension($file)
        $argv = [IO.File]::ReadAllLines($file)
        [IO.File]::Delete($file)
        $ps = [PowerShell]::Create(); $ps.RunspacePool = $pool
        $null = $ps.AddScript($roles[$argv[0]].ToString()).
            AddArgument($argv[1]).AddArgument($argv[2]).AddArgument([int] $argv[3]).
            AddArgument($(if ($argv.Count -gt 4) { $argv[4] } else { '' })).AddArgument((Join-Path $Inbox "$id.stop"))
        $null = Register-ObjectEvent -InputObject $ps -EventName InvocationStateChanged -SourceIdentifier "state.$id"
        $running[$id] = [pscustomobject] @{ PS = $ps; Handle = $ps.BeginInvoke(); Role = $argv[0]; Stopping = $false
                                            StopFile = Join-Path $Inbox "$id.stop" }
    }
    foreach ($id in @($running.Keys)) {
        $r = $running[$id]
        if (-not $r.Handle.IsCompleted) {
            # A leecher still downloading has no stop file to poll: stop its pipeline, as Ctrl+C would.
            if (-not $r.Stopping -and $r.Role -eq 'leech' -and [IO.File]::Exists($r.StopFile)) {
                $r.Stopping = $true; $null = $r.PS.BeginStop($null, $null)
            }
            continue
        }
        $code = 1
        try {
            $out = $r.PS.EndInvoke($r.Handle)
            if (-not $r.PS.HadErrors -and $out.Count -gt 0 -and $out[-1] -eq 0) { $code = 0 }
        } catch { $code = 1 }
        foreach ($e in $r.PS.Streams.Error) { [Console]::Error.WriteLine("# $id ($($r.Role)): $e") }
        Unregister-Event -SourceIdentifier "state.$id"
        $r.PS.Dispose()
        $running.Remove($id)
        [IO.File]::WriteAllText((Join-Path $Inbox "$id.rc.tmp"), "$code`n")
        [IO.File]::Move((Join-Path $Inbox "$id.rc.tmp"), (Join-Path $Inbox "$id.rc"))
    }
    $null = Wait-Event -Timeout 1
}
$watcher.Dispose()
$pool.Close()
