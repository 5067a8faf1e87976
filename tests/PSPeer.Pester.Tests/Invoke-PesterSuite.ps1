<#
.SYNOPSIS
    Runs one Pester suite (or, with -SkipRun, only discovers it) and emits one flat record per It, in Pester's
    order, then one per block or container that failed outside its Its (a BeforeAll, an AfterAll, a file that does
    not parse). PesterSuite.cs calls it in a runspace of Microsoft.PowerShell.SDK; the records become xunit tests.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $Path,
    [switch] $SkipRun
)

# No $ErrorActionPreference here: Pester runs the tests in this script's session state, and they must see the
# defaults a user's session has.
Import-Module $PesterManifest -ErrorAction Stop

# Pester expands '<Name>' in test and block names from the -ForEach data only while it runs; discovery needs the
# same names (they are the tests' display names), so expand them the same way from the same data.
function Expand-PesterName([string] $Name, $Data) {
    if ($null -eq $Data) { return $Name }
    [regex]::Replace($Name, '<([^<>]+)>', {
        param($match)
        $key = $match.Groups[1].Value
        if ($key -eq '_') { return "$Data" }
        if ($Data -is [System.Collections.IDictionary] -and $Data.Contains($key)) { return "$($Data[$key])" }
        $match.Value
    })
}

function Get-DisplayPath($Test) {
    $names = [System.Collections.Generic.List[string]]::new()
    $names.Add((Expand-PesterName $Test.Name $Test.Data))
    for ($block = $Test.Block; $null -ne $block -and -not $block.IsRoot; $block = $block.Parent) {
        $names.Insert(0, (Expand-PesterName $block.Name $block.Data))
    }
    $names -join ' > '
}

# Pester's own failure text: the message and the script stack it prints for a failed It.
function Format-PesterError($Records) {
    $parts = foreach ($record in $Records) {
        if ($record.PSObject.Properties['DisplayErrorMessage']) {
            ($record.DisplayErrorMessage, $record.DisplayStackTrace | Where-Object { $_ }) -join [Environment]::NewLine
        }
        else { "$record" }
    }
    $parts -join ([Environment]::NewLine + [Environment]::NewLine)
}

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Run.SkipRun = $SkipRun.IsPresent
$config.Output.Verbosity = 'None'
$run = Invoke-Pester -Configuration $config

foreach ($test in $run.Tests) {
    [pscustomobject]@{
        Kind    = 'It'
        Path    = $test.Path -join ' > '
        Name    = Get-DisplayPath $test
        Result  = [string]$test.Result
        Seconds = $test.Duration.TotalSeconds
        Message = Format-PesterError $test.ErrorRecord
    }
}
foreach ($block in $run.FailedBlocks) {
    [pscustomobject]@{ Kind = 'Block'; Path = $block.Path -join ' > '; Name = $block.Name; Result = 'Failed'; Seconds = 0; Message = Format-PesterError $block.ErrorRecord }
}
foreach ($container in $run.FailedContainers) {
    [pscustomobject]@{ Kind = 'Container'; Path = "$($container.Item)"; Name = "$($container.Item)"; Result = 'Failed'; Seconds = 0; Message = Format-PesterError $container.ErrorRecord }
}
