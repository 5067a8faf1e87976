# Pester 5 suite: Chord rings on loopback — Start-PeerNode -Protocol Chord, Set-PeerKey, Get-PeerKey, Find-PeerKey,
# Get-PeerRing, and file sharing over the ring (Publish-PeerFile, Find-PeerFile, Receive-PeerFile).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/PSPeer/PSPeer.psd1') -Force
    $music = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'music') -Force
    [IO.File]::WriteAllBytes((Join-Path $music 'The Beatles - Hey Jude.mp3'), [byte[]](1..240))
    [IO.File]::WriteAllBytes((Join-Path $music 'Let It Be.mp3'), [byte[]](1..120))
    $a = Start-PeerNode -Protocol Chord -Name 'ring-a' -SharedPath $music
    $b = Start-PeerNode -Protocol Chord -Name 'ring-b' -Bootstrap $a
    $c = Start-PeerNode -Protocol Chord -Name 'ring-c' -Bootstrap $a, $b
    $d = Start-PeerNode -Protocol Chord -Name 'ring-d' -Bootstrap 'ring-c'

    # Waits (bounded) until every node's successor and predecessor are its neighbours on the ring sorted by id.
    function Wait-RingSettled([object[]] $Nodes, [int] $Seconds = 30) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        do {
            $rings = @($Nodes | Get-PeerRing)
            $sorted = @($rings | Sort-Object Id)
            $right = $true
            for ($i = 0; $i -lt $sorted.Count; $i++) {
                $next = $sorted[($i + 1) % $sorted.Count]; $prev = $sorted[($i - 1 + $sorted.Count) % $sorted.Count]
                if ($sorted[$i].Successors[0] -ne $next.EndPoint -or $sorted[$i].Predecessor -ne $prev.EndPoint) { $right = $false }
            }
            if ($right) { return $true }
            Start-Sleep -Milliseconds 250
        } while ([DateTime]::UtcNow -lt $deadline)
        return $false
    }
}

Describe 'Start-PeerNode -Protocol Chord' {
    It 'starts ring members on UDP endpoints of their own' {
        $a.Protocol | Should -Be 'Chord'
        $a.Role | Should -Be 'Peer'
        $a.EndPoint | Should -Match '^127\.0\.0\.1:\d+$'
        @($a, $b, $c, $d).EndPoint | Select-Object -Unique | Should -HaveCount 4
    }

    It 'settles into one ring sorted by id' {
        Wait-RingSettled @($a, $b, $c, $d) | Should -BeTrue
    }

    It 'refuses a Client without a ring member to go through' {
        { Start-PeerNode -Protocol Chord -Role Client } | Should -Throw -ErrorId 'ChordBootstrapRequired,PSPeer.StartPeerNodeCommand'
    }

    It 'refuses -VirtualNodes for a Client and for other protocols' {
        { Start-PeerNode -Protocol Chord -Role Client -Bootstrap $a -VirtualNodes 2 } | Should -Throw -ErrorId 'ParameterNotApplicable,PSPeer.StartPeerNodeCommand'
        { Start-PeerNode -Protocol Gnutella -VirtualNodes 2 } | Should -Throw -ErrorId 'ParameterNotApplicable,PSPeer.StartPeerNodeCommand'
    }

    It 'starts one node per virtual node' {
        $v = @(Start-PeerNode -Protocol Chord -Name 'ring-v' -VirtualNodes 3 -Bootstrap $a)
        $v | Should -HaveCount 3
        $v.Name | Should -Be @('ring-v', 'ring-v.2', 'ring-v.3')
        $v | Stop-PeerNode
    }
}

Describe 'Set-PeerKey, Get-PeerKey and Find-PeerKey' {
    BeforeAll {
        # The virtual nodes above have just left: let stabilization take them out of the neighbours' lists first.
        Wait-RingSettled @($a, $b, $c, $d) | Should -BeTrue
    }

    It 'stores through one node and reads through another' {
        Set-PeerKey -Via $a -Key 'Hey Jude' -Value 'http://127.0.0.1:8080/get/0/Hey Jude.mp3'
        Get-PeerKey -Via $d -Key 'Hey Jude' | Should -Be 'http://127.0.0.1:8080/get/0/Hey Jude.mp3'
    }

    It 'stores text as its UTF-8 bytes and gives the bytes back with -AsByteStream' {
        Set-PeerKey -Via $a -Key 'café' -Value 'crème brûlée'
        Get-PeerKey -Via $b -Key 'café' | Should -Be 'crème brûlée'
        $values = @(Get-PeerKey -Via $c -Key 'café' -AsByteStream)
        $values.Count | Should -Be 1
        $values[0].GetType() | Should -Be ([byte[]])
        $values[0] | Should -Be ([Text.Encoding]::UTF8.GetBytes('crème brûlée'))
    }

    It 'keeps a set of distinct values' {
        Set-PeerKey -Via $b -Key 'greeting' -Value 'hello', 'bonjour', 'hello'
        @(Get-PeerKey -Via $c -Key 'greeting') | Sort-Object | Should -Be @('bonjour', 'hello')
    }

    It 'finds the same owner <Mode>, with a path of Hops + 1 nodes' -ForEach @(
        @{ Mode = 'Iterative' }
        @{ Mode = 'Recursive' }
    ) {
        $lookup = Find-PeerKey 'Hey Jude' -Via $c -Mode $Mode
        $lookup.Mode | Should -Be $Mode
        $lookup.Succeeded | Should -BeTrue
        $lookup.KeyId | Should -Be ([BitConverter]::ToString([Security.Cryptography.SHA1]::Create().ComputeHash([Text.Encoding]::UTF8.GetBytes('Hey Jude'))).Replace('-', '').ToLowerInvariant())
        $lookup.Path | Should -HaveCount ($lookup.Hops + 1)
        @($a, $b, $c, $d).EndPoint | Should -Contain $lookup.Owner
    }

    It 'names the owner that Set-PeerKey -PassThru stored at' {
        $stored = Set-PeerKey -Via $d -Key 'Let It Be' -Value 'x' -PassThru -ErrorAction Stop
        (Find-PeerKey 'Let It Be' -Via $a).Owner | Should -Be $stored.Owner
    }

    It 'refuses a value over the size limit before sending it' {
        Set-PeerKey -Via $a -Key 'big' -Value ('x' * 1001) -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'PeerKeyValueTooLarge,PSPeer.SetPeerKeyCommand'
    }

    It 'refuses a node of another protocol' {
        $index = Start-PeerNode -Protocol Napster -Role IndexServer
        { Find-PeerKey 'x' -Via $index } | Should -Throw -ErrorId 'NodeNotChord,PSPeer.FindPeerKeyCommand'
        $index | Stop-PeerNode
    }

    It 'looks keys up through a Client' {
        $client = Start-PeerNode -Protocol Chord -Role Client -Bootstrap $b
        $client.Role | Should -Be 'Client'
        Get-PeerKey 'Hey Jude' -Via $client | Should -Be 'http://127.0.0.1:8080/get/0/Hey Jude.mp3'
        $client | Stop-PeerNode
    }
}

Describe 'Chord events' {
    It 'reports lookups as ChordLookupCompleted events, a type Watch-PeerEvent -Type knows' {
        $null = Register-ObjectEvent $c -EventName EventReceived -SourceIdentifier chord-lookups
        $lookup = Find-PeerKey 'events' -Via $c
        $seen = @()
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (-not $seen -and [DateTime]::UtcNow -lt $deadline) {
            $events = @(Get-Event | Where-Object SourceIdentifier -eq 'chord-lookups')
            $events | Remove-Event
            $seen = @($events | Where-Object { $_.SourceEventArgs.Event.Type -eq 'ChordLookupCompleted' })
            if (-not $seen) { Start-Sleep -Milliseconds 100 }
        }
        Unregister-Event -SourceIdentifier chord-lookups
        $seen | Should -Not -BeNullOrEmpty
        $seen[0].SourceEventArgs.Event.Node | Should -Be 'ring-c'
        { Watch-PeerEvent -Node $c -Type ChordLookupCompleted, SuccessorChanged, PredecessorChanged, KeysTransferred, NodeSuspected -Timeout 0.2 } | Should -Not -Throw
    }
}

Describe 'File sharing over the ring' {
    It 'finds a shared file by its keywords and downloads it verified' {
        $hit = Find-PeerFile 'Hey Jude' -Via $c
        $hit.Name | Should -Be 'The Beatles - Hey Jude.mp3'
        $hit.Size | Should -Be 240
        $download = $hit | Receive-PeerFile -Destination (Join-Path $TestDrive 'downloads')
        $download.Verified | Should -BeTrue
        [IO.File]::ReadAllBytes($download.Path) | Should -Be ([byte[]](1..240))
    }

    It 'keeps only the files every keyword points to' {
        @(Find-PeerFile 'let be' -Via $b).Name | Should -Be @('Let It Be.mp3')
        Find-PeerFile 'jude let' -Via $b | Should -BeNullOrEmpty
    }

    It 'publishes more files from any ring member' {
        $more = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'more') -Force
        [IO.File]::WriteAllBytes((Join-Path $more 'Yesterday.mp3'), [byte[]](1..60))
        Publish-PeerFile -Path (Join-Path $more 'Yesterday.mp3') -Via $d
        (Find-PeerFile 'yesterday' -Via $a).Source | Should -Not -Be (Find-PeerFile 'hey jude' -Via $a).Source
        Get-PeerKey 'kw:yesterday' -Via $b | Should -Not -BeNullOrEmpty
    }

    It 'stores each keyword pointer as its bencoded bytes, read back byte for byte with -AsByteStream' {
        $pointer = Get-PeerKey 'kw:jude' -Via $d -AsByteStream
        $pointer.GetType() | Should -Be ([byte[]])
        [Text.Encoding]::ASCII.GetString($pointer, 0, 6) | Should -Be 'd1:a6:'
        $pointer[-1] | Should -Be ([byte][char]'e')
        $hash = [Security.Cryptography.SHA1]::Create().ComputeHash([byte[]](1..240))
        $at = [Text.Encoding]::ASCII.GetString($pointer).IndexOf('1:h20:') + 6
        $pointer[$at..($at + 19)] | Should -Be $hash
    }
}

Describe 'Get-PeerRing' {
    It 'shows neighbours, distinct fingers and the keys held' {
        $ring = Get-PeerRing -Node $a
        $ring.Node | Should -Be 'ring-a'
        $ring.Id | Should -Match '^[0-9a-f]{40}$'
        $ring.Successors.Count | Should -BeGreaterThan 0
        $ring.Fingers | Select-Object -Unique | Should -HaveCount $ring.Fingers.Count
        (@($a, $b, $c, $d) | Get-PeerRing | Measure-Object StoredKeys -Sum).Sum | Should -BeGreaterThan 0
    }
}

AfterAll {
    Get-PeerNode | Stop-PeerNode
    Remove-Module PSPeer
}
