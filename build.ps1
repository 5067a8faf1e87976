<#
.SYNOPSIS
    Builds, tests and packages PSPeer (for people who have pwsh; it wraps the dotnet CLI).
.DESCRIPTION
    Build   : dotnet build PSPeer.sln -c Release, which also lays out the importable module in out/PSPeer.
    Test    : dotnet test (engine and module tests), then the Pester 5 suites in tests/Pester when Pester 5 is
              installed (they import out/PSPeer, so Build runs first when out/PSPeer is missing).
    Package : copies out/PSPeer to out/package/PSPeer and zips it as out/package/PSPeer-<version>.zip.
.EXAMPLE
    ./build.ps1
    Builds and runs every test.
.EXAMPLE
    ./build.ps1 -Task Build, Package
    Builds in Release and produces out/package/PSPeer-<version>.zip.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string[]] $Task = @('Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$solution = Join-Path $root 'PSPeer.sln'
$moduleOut = Join-Path $root 'out/PSPeer'
$packageOut = Join-Path $root 'out/package'

function Invoke-DotNet {
    param([Parameter(Mandatory)] [string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-DotNet @('build', $solution, '-c', $Configuration)
    if (-not (Test-Path (Join-Path $moduleOut 'PSPeer.psd1'))) {
        throw "The build did not lay out the module in $moduleOut."
    }
}

function Invoke-Test {
    if (-not (Test-Path (Join-Path $moduleOut 'PSPeer.psd1'))) { Invoke-Build }
    Invoke-DotNet @('test', $solution, '-c', $Configuration)

    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version.Major -ge 5 } | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0): skipping tests/Pester.'
        return
    }
    Import-Module $pester
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed." }
}

function Invoke-Package {
    if (-not (Test-Path (Join-Path $moduleOut 'PSPeer.psd1'))) { Invoke-Build }
    $version = (Import-PowerShellDataFile (Join-Path $moduleOut 'PSPeer.psd1')).ModuleVersion
    $target = Join-Path $packageOut 'PSPeer'
    if (Test-Path $packageOut) { Remove-Item $packageOut -Recurse -Force }
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    Copy-Item -Path (Join-Path $moduleOut '*') -Destination $target -Recurse
    $zip = Join-Path $packageOut "PSPeer-$version.zip"
    Compress-Archive -Path $target -DestinationPath $zip
    Write-Host "Packaged $zip" -ForegroundColor Green
}

foreach ($step in $Task) {
    Write-Host "== $step" -ForegroundColor Green
    switch ($step) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Package' { Invoke-Package }
    }
}
