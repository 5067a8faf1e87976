# Pester 5 suite: Show-PeerNetwork, Get-PeerDashboard and Stop-PeerDashboard, as a script would use them (a browser
# is not needed: the page's data is plain HTTP, readable with Invoke-WebRequest).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force

    # GET with the dashboard's token (or without it), answering the status code and the body.
    function Invoke-Dashboard([PSPeer.PeerDashboard] $Dashboard, [string] $Path, [switch] $NoToken) {
        $base = $Dashboard.Url.Substring(0, $Dashboard.Url.IndexOf('?'))
        $uri = if ($NoToken) { $base + $Path } else { $base + $Path + '?t=' + $Dashboard.Url.Substring($Dashboard.Url.IndexOf('?t=') + 3) }
        $client = [System.Net.Http.HttpClient]::new()
        try {
            $response = $client.GetAsync($uri).GetAwaiter().GetResult()
            [pscustomobject]@{ Status = [int]$response.StatusCode; Body = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult() }
        }
        finally { $client.Dispose() }
    }
}

Describe 'Show-PeerNetwork' {
    It 'serves a network''s topology on 127.0.0.1 behind its token' {
        $net = New-PeerNetwork -Protocol Gnutella -Count 50 -Simulated -Seed 4
        $dashboard = Show-PeerNetwork $net
        $dashboard.Url | Should -Match '^http://127\.0\.0\.1:\d+/\?t=[A-Za-z0-9_-]{43}$'
        $dashboard.State | Should -Be 'Running'
        $dashboard.Scope | Should -Be $net.Name
        $state = (Invoke-Dashboard $dashboard 'api/state').Body | ConvertFrom-Json
        $state.nodes.Count | Should -Be 50
        $state.links.Count | Should -Be $net.Links
        (Invoke-Dashboard $dashboard 'api/state' -NoToken).Status | Should -Be 403
        $net | Stop-PeerNode
        $dashboard.State | Should -Be 'Stopped'
    }

    It 'takes nodes from the pipeline and draws the links between them' {
        $index = Start-PeerNode -Protocol Napster -Role IndexServer
        $peer  = Start-PeerNode -Protocol Napster -IndexServer $index
        $dashboard = $index, $peer | Show-PeerNetwork
        $state = (Invoke-Dashboard $dashboard 'api/state').Body | ConvertFrom-Json
        $state.nodes.name | Should -Be @($index.Name, $peer.Name)
        $state.links.Count | Should -Be 1
        $dashboard | Stop-PeerDashboard
        $index, $peer | Stop-PeerNode
    }

    It 'says when a large network is drawn as a sample' {
        $net = New-PeerNetwork -Protocol Gnutella -Count 300 -Simulated -Seed 5
        $dashboard = Show-PeerNetwork $net -MaxNodes 40
        $state = (Invoke-Dashboard $dashboard 'api/state').Body | ConvertFrom-Json
        $state.nodes.Count | Should -Be 40
        $state.systems[0].note | Should -BeLike '*sample*of 300*'
        $dashboard.NodeCount | Should -Be 300
        $net | Stop-PeerNode
    }

    It 'refuses a stopped network with PeerNetworkStopped' {
        $net = New-PeerNetwork -Protocol Gnutella -Count 20 -Simulated -Seed 6
        $net | Stop-PeerNode
        Show-PeerNetwork $net -ErrorVariable problem -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -BeLike 'PeerNetworkStopped,*'
    }
}

Describe 'Get-PeerDashboard and Stop-PeerDashboard' {
    It 'lists the session''s dashboards and stops them from the pipeline' {
        $first  = Show-PeerNetwork
        $second = Show-PeerNetwork
        @(Get-PeerDashboard).Count | Should -Be 2
        Get-PeerDashboard | Stop-PeerDashboard -WhatIf
        @(Get-PeerDashboard).Count | Should -Be 2
        $stopped = Get-PeerDashboard | Stop-PeerDashboard -PassThru
        $stopped.State | Should -Be @('Stopped', 'Stopped')
        @(Get-PeerDashboard).Count | Should -Be 0
        { Invoke-Dashboard $first 'api/state' } | Should -Throw
    }
}

AfterAll {
    Remove-Module PSPeer   # stops every dashboard, node and network of the session
}
