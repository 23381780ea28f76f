/* A stand-in for bcryptprimitives.dll's ProcessPrng, for running torimatome under Wine 8
 * only: Rust's standard library takes its random numbers (HashMap seeds) from ProcessPrng,
 * which Windows 10 and later have and Wine 8 lacks. It asks RtlGenRandom (advapi32's
 * SystemFunction036) instead. Built by `cargo xtask wine-test` with MinGW-w64 and placed
 * next to the test's torimatome.exe; never shipped in the package. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
