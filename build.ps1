<#
.SYNOPSIS
    Builds, tests and packages PSPeer (it wraps the dotnet CLI).
.DESCRIPTION
    Build   : dotnet build PSPeer.sln -c Release, which also lays out the importable module in out/PSPeer.
    Test    : dotnet test PSPeer.sln -c Release: the engine and module tests and every Pester suite in tests/Pester
              (tests/PSPeer.Pester.Tests runs them with Pester 5.7.1 from NuGet, one reported test per It), once.
    Package : copies out/PSPeer to out/package/PSPeer and zips it as out/package/PSPeer-<version>.zip.

    pwsh is pinned for the repository by the local tool manifest (.config/dotnet-tools.json); with only the .NET SDK:
    dotnet tool restore; dotnet tool run pwsh -- -NoProfile -File ./build.ps1
.EXAMPLE
    ./build.ps1
    Builds, runs every test (Pester included) and packages.
.EXAMPLE
    ./build.ps1 -Task Build, Package
    Builds in Release and produces out/package/PSPeer-<version>.zip, without testing.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string[]] $Task = @('Build', 'Test', 'Package'),

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

$script:built = $false

function Invoke-Build {
    Invoke-DotNet @('build', $solution, '-c', $Configuration)
    $script:built = $true
    if (-not (Test-Path (Join-Path $moduleOut 'PSPeer.psd1'))) {
        throw "The build did not lay out the module in $moduleOut."
    }
}

function Invoke-Test {
    # When this run has just built the solution, test what it built instead of building it again.
    $arguments = @('test', $solution, '-c', $Configuration)
    if ($script:built) { $arguments += '--no-build' }
    Invoke-DotNet $arguments
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
