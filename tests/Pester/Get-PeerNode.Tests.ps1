# Pester 5 suite: Get-PeerNode.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $index = Start-PeerNode -Protocol Napster -Role IndexServer -Name 'get-index'
    $alice = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'get-alice'
    $bob = Start-PeerNode -Protocol Napster -IndexServer $index -Name 'get-bob'
}

Describe 'Get-PeerNode' {
    It 'lists the session''s nodes in start order' {
        (Get-PeerNode -Name 'get-*').Name | Should -Be @('get-index', 'get-alice', 'get-bob')
    }

    It 'filters by name with wildcards' {
        (Get-PeerNode -Name 'get-b*').Name | Should -Be 'get-bob'
    }

    It 'filters by protocol' {
        (Get-PeerNode -Protocol Napster -Name 'get-*').Count | Should -Be 3
    }

    It 'reports an unknown name as PeerNodeNotFound' {
        { Get-PeerNode -Name 'nobody' -ErrorAction Stop } | Should -Throw -ErrorId 'PeerNodeNotFound,*'
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
